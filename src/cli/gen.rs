//! `vpcc gen [--preset org] [--vpcs N --azs K --subnets-per-az T
//! --instances-per-subnet I --security-groups-per-vpc G] [--hub peering|transit-gateway]
//! [--seed S] [-o FILE]`

use std::path::PathBuf;

use clap::ValueEnum;
use vpc::r#gen::{GenParams, Hub, generate_with};

use super::Exit;
use super::io::{error, write_output};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Preset {
    /// 100 VPCs, 10,000 subnets, 20,000 instances, 5,000 security groups
    Org,
}

/// How the VPCs join the hub, VPC v0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum HubArg {
    /// A peering connection per spoke
    #[default]
    Peering,
    /// One transit gateway with an attachment per VPC
    TransitGateway,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Start from a preset; explicit size options override it
    #[arg(long, value_enum)]
    pub preset: Option<Preset>,
    /// Number of VPCs (VPC v0 is the hub of a hub-and-spoke peering)
    #[arg(long)]
    pub vpcs: Option<u32>,
    /// Availability zones per VPC (1–6)
    #[arg(long)]
    pub azs: Option<u32>,
    /// Subnets per AZ; tiers cycle public, private, isolated
    #[arg(long)]
    pub subnets_per_az: Option<u32>,
    /// Instances per subnet
    #[arg(long)]
    pub instances_per_subnet: Option<u32>,
    /// Security groups per VPC, at least 5
    #[arg(long)]
    pub security_groups_per_vpc: Option<u32>,
    /// How the VPCs join the hub v0
    #[arg(long, value_enum, default_value_t = HubArg::Peering)]
    pub hub: HubArg,
    /// Seed of the generator: the same seed and sizes give the same bytes
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Write to FILE instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(args: &Args) -> Exit {
    let base = match args.preset {
        Some(Preset::Org) => GenParams::org(args.seed),
        None => GenParams {
            vpcs: 3,
            azs: 3,
            subnets_per_az: 3,
            instances_per_subnet: 2,
            security_groups_per_vpc: 8,
            seed: args.seed,
        },
    };
    let params = GenParams {
        vpcs: args.vpcs.unwrap_or(base.vpcs),
        azs: args.azs.unwrap_or(base.azs),
        subnets_per_az: args.subnets_per_az.unwrap_or(base.subnets_per_az),
        instances_per_subnet: args
            .instances_per_subnet
            .unwrap_or(base.instances_per_subnet),
        security_groups_per_vpc: args
            .security_groups_per_vpc
            .unwrap_or(base.security_groups_per_vpc),
        seed: args.seed,
    };
    if let Some(problem) = params.problem() {
        error(&problem);
        return Exit::Usage;
    }
    let hub = match args.hub {
        HubArg::Peering => Hub::Peering,
        HubArg::TransitGateway => Hub::TransitGateway,
    };
    let text = generate_with(&params, hub);
    write_output(args.output.as_deref(), &text)
}

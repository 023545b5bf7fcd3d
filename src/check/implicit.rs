//! The implicit AWS objects: main route table, default security group, default ACL.

use super::*;

impl Cx {
    /// Implicit main route tables, default security groups and default ACLs,
    /// then the effective associations of subnets and instances.
    pub(super) fn add_implicit_objects(&mut self, vpcs: &[&ast::Vpc]) {
        for vi in 0..self.model.vpcs.len() {
            let vpc = VpcId(id32(vi));
            if self.model.vpcs[vi].main_route_table.0 == u32::MAX {
                let id = RouteTableId(id32(self.model.route_tables.len()));
                self.model.route_tables.push(RouteTable {
                    name: "main".to_string(),
                    vpc,
                    main: true,
                    span: None,
                    routes: Vec::new(),
                    routes6: Vec::new(),
                    subnets: Vec::new(),
                });
                self.model.vpcs[vi].main_route_table = id;
            }
            let sg = SecurityGroupId(id32(self.model.security_groups.len()));
            self.model.security_groups.push(SecurityGroup {
                name: "default".to_string(),
                vpc,
                default: true,
                rules: vec![SgRule {
                    direction: Direction::In,
                    protocol: ProtocolKind::All,
                    ports: None,
                    peer: SgPeer::Group(sg),
                    span: None,
                }],
                default_egress: true,
                span: None,
            });
            self.model.vpcs[vi].default_security_group = sg;
            let acl = NetworkAclId(id32(self.model.network_acls.len()));
            let allow_all = AclRule {
                number: 100,
                allow: true,
                protocol: ProtocolKind::All,
                ports: None,
                cidrs: vec![Ipv4Net::default()],
                cidrs6: Vec::new(),
                peer_text: "0.0.0.0/0".to_string(),
                span: None,
            };
            let mut rules = vec![allow_all];
            // Rule 101 allows all IPv6, only in a VPC with an IPv6 block
            // (aws-facts.md §8, S25).
            if !self.model.vpcs[vi].ipv6_cidrs.is_empty() {
                rules.push(AclRule {
                    number: 101,
                    allow: true,
                    protocol: ProtocolKind::All,
                    ports: None,
                    cidrs: Vec::new(),
                    cidrs6: vec![ipnet::Ipv6Net::default()],
                    peer_text: "::/0".to_string(),
                    span: None,
                });
            }
            self.model.network_acls.push(NetworkAcl {
                name: "default".to_string(),
                vpc,
                default: true,
                inbound: rules.clone(),
                outbound: rules,
                span: None,
            });
            self.model.vpcs[vi].default_network_acl = acl;
        }
        let _ = vpcs;
        for s in &mut self.model.subnets {
            let v = &self.model.vpcs[s.vpc.index()];
            if s.route_table.0 == u32::MAX {
                s.route_table = v.main_route_table;
            }
            if s.network_acl.0 == u32::MAX {
                s.network_acl = v.default_network_acl;
            }
        }
        for i in 0..self.model.instances.len() {
            if self.model.instances[i].security_groups.is_empty() {
                let v = self.model.subnets[self.model.instances[i].subnet.index()].vpc;
                self.model.instances[i].security_groups =
                    vec![self.model.vpcs[v.index()].default_security_group];
            }
        }
        for e in &mut self.model.endpoints {
            if let EndpointKind::Interface {
                security_groups, ..
            } = &mut e.kind
                && security_groups.is_empty()
            {
                security_groups.push(self.model.vpcs[e.vpc.index()].default_security_group);
            }
        }
    }
}

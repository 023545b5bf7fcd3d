"""Independent oracles for `vpcc export`; tests/export.rs runs them with the
Python in VPCC_PYTHON (scripts/test.sh makes .venv-moto from
scripts/requirements.txt). Each prints JSON on stdout for the Rust test to
compare with vpcc's model; the comparisons live there, not here.

  export_check.py lint TEMPLATE.yaml TEMPLATE.json REGION
      cfn-lint on both forms; prints {"errors": [...], "same_tree": bool}
      (errors: cfn-lint's findings of level error; warnings such as W3010
      for written zone names are allowed; same_tree: the YAML loads to the
      JSON's tree).
  export_check.py moto TEMPLATE.json REGION
      creates the stack in moto's CloudFormation (in process) and prints
      what EC2 then holds: subnets, route tables and their routes,
      instances, NAT gateways, endpoints, security groups, peerings.
  export_check.py hcl FILE.tf
      parses the file with python-hcl2 and prints its blocks.
"""

import json
import os
import re
import subprocess
import sys

CFN_LINT = os.path.join(os.path.dirname(sys.executable), "cfn-lint")


def lint(yaml_path, json_path, region):
    import yaml

    errors = []
    for path in (yaml_path, json_path):
        run = subprocess.run(
            [CFN_LINT, "--format", "parseable",
             "--regions", region, "--", path],
            capture_output=True, text=True, check=False,
        )
        # Exit status bit flags: 2 error, 4 warning, 8 informational;
        # anything else (1: cfn-lint itself failed) is an error too.
        if run.returncode & ~(4 | 8):
            lines = [l for l in run.stdout.splitlines() if ":E" in l]
            errors.append({"file": path, "status": run.returncode,
                           "findings": lines or [run.stdout + run.stderr]})
    with open(yaml_path) as f:
        from_yaml = yaml.safe_load(f)
    with open(json_path) as f:
        from_json = json.load(f)
    print(json.dumps({"errors": errors, "same_tree": from_yaml == from_json}))


def install_moto_workarounds(skipped):
    """Where moto 5.2.5 differs from AWS in a way the checks would see, and
    only there. It has no CloudFormation model for AWS::EC2::VPCCidrBlock
    (../shared/notes/moto-cloudformation.md): it skips the resource, and a
    subnet in the secondary block then fails with InvalidSubnet.Range. This
    model does what AWS does, through moto's own EC2 call. Every other
    unsupported type is recorded in `skipped` (moto logs and drops it)."""
    from moto.cloudformation import parsing
    from moto.core.common_models import CloudFormationModel
    from moto.ec2.models import ec2_backends

    class VpcCidrBlock(CloudFormationModel):
        # moto's model metaclass reads the service from the module name.
        __module__ = "moto.ec2.export_check"

        def __init__(self, association_id):
            self.id = association_id

        @property
        def physical_resource_id(self):
            return self.id

        @staticmethod
        def cloudformation_name_type():
            return ""

        @staticmethod
        def cloudformation_type():
            return "AWS::EC2::VPCCidrBlock"

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json,
                                            account_id, region_name, **kwargs):
            props = cloudformation_json["Properties"]
            backend = ec2_backends[account_id][region_name]
            assoc = backend.associate_vpc_cidr_block(
                props["VpcId"], cidr_block=props["CidrBlock"],
                amazon_provided_ipv6_cidr_block=False)
            return cls(assoc["association_id"])

    # moto's AWS::EC2::NatGateway reads AllocationId unconditionally (a
    # KeyError for a private NAT gateway, which has none) and ignores
    # ConnectivityType: this does what AWS does for both.
    from moto.ec2.models.nat_gateways import NatGateway

    def nat_from_cloudformation(cls, resource_name, cloudformation_json,
                                account_id, region_name, **kwargs):
        props = cloudformation_json["Properties"]
        return ec2_backends[account_id][region_name].create_nat_gateway(
            props["SubnetId"], props.get("AllocationId"),
            connectivity_type=props.get("ConnectivityType", "public"))

    NatGateway.create_from_cloudformation_json = classmethod(nat_from_cloudformation)

    # moto has no CloudFormation model for AWS::EC2::PrefixList, and its
    # AWS::EC2::Route ignores DestinationPrefixListId; its EC2 API has
    # both. These do what AWS does through that API.
    class PrefixList(CloudFormationModel):
        __module__ = "moto.ec2.export_check"

        def __init__(self, list_id):
            self.id = list_id

        @property
        def physical_resource_id(self):
            return self.id

        @staticmethod
        def cloudformation_name_type():
            return ""

        @staticmethod
        def cloudformation_type():
            return "AWS::EC2::PrefixList"

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json,
                                            account_id, region_name, **kwargs):
            props = cloudformation_json["Properties"]
            created = ec2_backends[account_id][region_name].create_managed_prefix_list(
                address_family=props["AddressFamily"],
                entry=[{"Cidr": e["Cidr"]} for e in props.get("Entries", [])],
                max_entries=str(props["MaxEntries"]),
                prefix_list_name=props["PrefixListName"])
            return cls(created.id)

    from moto.ec2.models.route_tables import Route
    route_from_cloudformation = Route.create_from_cloudformation_json

    def route_with_prefix_list(cls, resource_name, cloudformation_json,
                               account_id, region_name, **kwargs):
        props = cloudformation_json["Properties"]
        if "DestinationPrefixListId" not in props:
            return route_from_cloudformation(resource_name, cloudformation_json,
                                             account_id, region_name, **kwargs)
        return ec2_backends[account_id][region_name].create_route(
            route_table_id=props["RouteTableId"],
            destination_cidr_block=None,
            destination_prefix_list_id=props["DestinationPrefixListId"],
            gateway_id=props.get("GatewayId"),
            instance_id=props.get("InstanceId"),
            nat_gateway_id=props.get("NatGatewayId"),
            vpc_peering_connection_id=props.get("VpcPeeringConnectionId"))

    Route.create_from_cloudformation_json = classmethod(route_with_prefix_list)

    # Its AWS::EC2::SecurityGroupIngress asserts a CIDR or a group source
    # and drops SourcePrefixListId, which AWS takes.
    from moto.ec2.models.security_groups import SecurityGroupIngress
    ingress_from_cloudformation = SecurityGroupIngress.create_from_cloudformation_json

    def ingress_with_prefix_list(cls, resource_name, cloudformation_json,
                                 account_id, region_name, **kwargs):
        props = cloudformation_json["Properties"]
        if "SourcePrefixListId" not in props:
            return ingress_from_cloudformation(resource_name, cloudformation_json,
                                               account_id, region_name, **kwargs)
        backend = ec2_backends[account_id][region_name]
        group = backend.describe_security_groups(group_ids=[props["GroupId"]])[0]
        backend.authorize_security_group_ingress(
            group_name_or_id=group.id, ip_protocol=props["IpProtocol"],
            from_port=props.get("FromPort"), to_port=props.get("ToPort"), ip_ranges=[],
            prefix_list_ids=[{"PrefixListId": props["SourcePrefixListId"]}])
        return cls(group, props)

    SecurityGroupIngress.create_from_cloudformation_json = classmethod(ingress_with_prefix_list)

    # moto's CloudFormation models only AWS::EC2::TransitGateway of the
    # transit gateway types (it logs and drops the others); its EC2 API has
    # route tables, VPC attachments, associations, propagations and static
    # routes. These do what AWS does through that API. (VPN connections to
    # a transit gateway are never deployed here: CloudFormation export
    # refuses them, E0701.)
    def through_ec2(cfn_type, create):
        class Model(CloudFormationModel):
            __module__ = "moto.ec2.export_check"

            def __init__(self, physical_id):
                self.id = physical_id

            @property
            def physical_resource_id(self):
                return self.id

            @staticmethod
            def cloudformation_name_type():
                return ""

            @staticmethod
            def cloudformation_type():
                return cfn_type

            @classmethod
            def create_from_cloudformation_json(cls, resource_name, cloudformation_json,
                                                account_id, region_name, **kwargs):
                backend = ec2_backends[account_id][region_name]
                return cls(create(backend, cloudformation_json["Properties"]))

        Model.__name__ = cfn_type.replace("AWS::EC2::", "")
        return Model

    def tags(p):
        return {t["Key"]: t["Value"] for t in p.get("Tags", [])}

    tgw_models = [
        through_ec2("AWS::EC2::TransitGatewayRouteTable", lambda b, p: b.create_transit_gateway_route_table(
            transit_gateway_id=p["TransitGatewayId"], tags=tags(p)).id),
        through_ec2("AWS::EC2::TransitGatewayVpcAttachment", lambda b, p: b.create_transit_gateway_vpc_attachment(
            transit_gateway_id=p["TransitGatewayId"], vpc_id=p["VpcId"],
            subnet_ids=p["SubnetIds"], tags=tags(p)).id),
        through_ec2("AWS::EC2::TransitGatewayRouteTableAssociation", lambda b, p: (
            b.associate_transit_gateway_route_table(
                transit_gateway_attachment_id=p["TransitGatewayAttachmentId"],
                transit_gateway_route_table_id=p["TransitGatewayRouteTableId"]),
            p["TransitGatewayRouteTableId"] + "|" + p["TransitGatewayAttachmentId"])[1]),
        through_ec2("AWS::EC2::TransitGatewayRouteTablePropagation", lambda b, p: (
            b.enable_transit_gateway_route_table_propagation(
                transit_gateway_attachment_id=p["TransitGatewayAttachmentId"],
                transit_gateway_route_table_id=p["TransitGatewayRouteTableId"]),
            p["TransitGatewayRouteTableId"] + "|" + p["TransitGatewayAttachmentId"])[1]),
        through_ec2("AWS::EC2::TransitGatewayRoute", lambda b, p: (
            b.create_transit_gateway_route(
                transit_gateway_route_table_id=p["TransitGatewayRouteTableId"],
                destination_cidr_block=p["DestinationCidrBlock"],
                transit_gateway_attachment_id=p.get("TransitGatewayAttachmentId"),
                blackhole=bool(p.get("Blackhole", False))),
            p["TransitGatewayRouteTableId"] + "|" + p["DestinationCidrBlock"])[1]),
    ]

    # Its CloudFormation has AWS::EC2::VPNGateway and the gateway's
    # attachment, not the customer gateway or the VPN connection, which its
    # EC2 API has. (It models neither VPN connection routes nor route
    # propagation at all: those two types are skipped, and tests/export.rs
    # expects that.)
    tgw_models += [
        through_ec2("AWS::EC2::CustomerGateway", lambda b, p: b.create_customer_gateway(
            gateway_type=p["Type"], ip_address=p["IpAddress"],
            bgp_asn=str(p["BgpAsn"])).id),
        through_ec2("AWS::EC2::VPNConnection", lambda b, p: b.create_vpn_connection(
            vpn_conn_type=p["Type"], customer_gateway_id=p["CustomerGatewayId"],
            vpn_gateway_id=p.get("VpnGatewayId"),
            transit_gateway_id=p.get("TransitGatewayId")).id),
    ]

    parsing.get_model_list.cache_clear()
    parsing.get_model_map.cache_clear()
    parsing.get_name_type_map.cache_clear()
    supported = parsing.get_model_map()
    assert "AWS::EC2::VPCCidrBlock" in supported
    assert "AWS::EC2::PrefixList" in supported
    for m in tgw_models:
        assert m.cloudformation_type() in supported

    original = parsing.resource_class_from_type

    def recording(resource_type):
        cls = original(resource_type)
        if cls is None:
            skipped.add(resource_type)
        return cls

    parsing.resource_class_from_type = recording


def deploy(template_path, region):
    import boto3
    from moto import mock_aws

    with open(template_path) as f:
        body = f.read()
    skipped = set()
    with mock_aws():
        install_moto_workarounds(skipped)
        cfn = boto3.client("cloudformation", region_name=region)
        ec2 = boto3.client("ec2", region_name=region)
        params = []
        declared = json.loads(body).get("Parameters", {})
        for key, service in (("PrefixListS3", "s3"), ("PrefixListDynamodb", "dynamodb")):
            if key in declared:
                # What the template's user passes: the region's managed list.
                lists = ec2.describe_managed_prefix_lists(Filters=[{
                    "Name": "prefix-list-name",
                    "Values": [f"com.amazonaws.{region}.{service}"]}])["PrefixLists"]
                params.append({"ParameterKey": key, "ParameterValue": lists[0]["PrefixListId"]})
        if "ImageId" in declared:
            # moto's SSM has no Amazon Linux 2023 alias: a parameter of our
            # own names one of moto's AMIs (the type is still an SSM path).
            image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
            ssm = boto3.client("ssm", region_name=region)
            ssm.put_parameter(Name="/vpcc-export/ami", Value=image, Type="String")
            params.append({"ParameterKey": "ImageId", "ParameterValue": "/vpcc-export/ami"})
        for key in declared:
            if key.startswith("CustomerGatewayIp"):
                # A customer gateway's public address: the deployer's to
                # give; any address does for the mock.
                params.append({"ParameterKey": key, "ParameterValue": "198.51.100.7"})
        cfn.create_stack(StackName="vpcc-export", TemplateBody=body, Parameters=params)
        stack = cfn.describe_stacks(StackName="vpcc-export")["Stacks"][0]
        # moto drops the tags of several types (route tables, NAT gateways):
        # objects are named by the stack's logical ids instead.
        # (moto gives an association the id of its route table or VPC, so
        # only the objects described below are named.)
        named = {"VPC", "Subnet", "RouteTable", "Instance", "NatGateway", "VPCEndpoint",
                 "SecurityGroup", "VPCPeeringConnection", "InternetGateway",
                 "TransitGateway", "TransitGatewayRouteTable", "TransitGatewayVpcAttachment",
                 "VPNGateway", "VPNConnection", "CustomerGateway"}
        logical = {
            r["PhysicalResourceId"]: r["LogicalResourceId"]
            for r in cfn.list_stack_resources(StackName="vpcc-export")["StackResourceSummaries"]
            if r["ResourceType"].removeprefix("AWS::EC2::") in named
        }

        def lid(physical):
            return logical.get(physical)

        target_keys = ("GatewayId", "NatGatewayId", "InstanceId",
                       "NetworkInterfaceId", "VpcPeeringConnectionId", "TransitGatewayId")

        def tgw_table(t):
            tid = t["TransitGatewayRouteTableId"]
            assocs = ec2.get_transit_gateway_route_table_associations(
                TransitGatewayRouteTableId=tid)["Associations"]
            props = ec2.get_transit_gateway_route_table_propagations(
                TransitGatewayRouteTableId=tid)["TransitGatewayRouteTablePropagations"]
            routes = ec2.search_transit_gateway_routes(
                TransitGatewayRouteTableId=tid,
                Filters=[{"Name": "type", "Values": ["static"]}])["Routes"]
            # moto 5.2.5 keeps a route's attachment as one object where its
            # response wants a list, and answers an empty list: the route's
            # attachment is read from its EC2 model instead.
            from moto.core import DEFAULT_ACCOUNT_ID
            from moto.ec2.models import ec2_backends
            held = ec2_backends[DEFAULT_ACCOUNT_ID][region].transit_gateways_route_tables[tid].routes

            def attachment(cidr):
                att = held[cidr].get("transitGatewayAttachments") or {}
                return lid(att.get("transitGatewayAttachmentId"))
            return {
                "id": lid(tid), "tgw": lid(t["TransitGatewayId"]),
                "associations": sorted(lid(a["TransitGatewayAttachmentId"]) for a in assocs),
                "propagations": sorted(lid(a["TransitGatewayAttachmentId"]) for a in props),
                "static_routes": sorted(
                    [r["DestinationCidrBlock"],
                     "blackhole" if r.get("State") == "blackhole"
                     else attachment(r["DestinationCidrBlock"])]
                    for r in routes),
            }

        out = {
            "stack_status": stack["StackStatus"],
            "skipped": sorted(skipped),
            "vpcs": [
                {"id": lid(v["VpcId"]),
                 "cidrs": sorted(a["CidrBlock"] for a in v.get("CidrBlockAssociationSet", []))}
                for v in ec2.describe_vpcs()["Vpcs"] if lid(v["VpcId"])
            ],
            "subnets": [
                {"id": lid(s["SubnetId"]), "vpc": lid(s["VpcId"]),
                 "cidr": s["CidrBlock"], "az": s["AvailabilityZone"]}
                for s in ec2.describe_subnets()["Subnets"] if lid(s["SubnetId"])
            ],
            "route_tables": [
                {"id": lid(t["RouteTableId"]), "vpc": lid(t["VpcId"]),
                 "routes": [
                     {"destination": r.get("DestinationCidrBlock")
                      or r.get("DestinationPrefixListId"),
                      "target": next((lid(r[k]) or r[k] for k in target_keys if r.get(k)), None)}
                     for r in t["Routes"]]}
                for t in ec2.describe_route_tables()["RouteTables"] if lid(t["RouteTableId"])
            ],
            "instances": [
                {"id": lid(i["InstanceId"]), "subnet": lid(i.get("SubnetId")),
                 "private_ip": i.get("PrivateIpAddress"),
                 "groups": sorted(lid(g["GroupId"]) or g["GroupId"] for g in i["SecurityGroups"])}
                for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]
                if lid(i["InstanceId"])
            ],
            "nat_gateways": [
                {"id": lid(n["NatGatewayId"]), "subnet": lid(n["SubnetId"]),
                 "connectivity": n.get("ConnectivityType")}
                for n in ec2.describe_nat_gateways()["NatGateways"]
            ],
            "endpoints": [
                {"id": lid(e["VpcEndpointId"]), "service": e["ServiceName"],
                 "type": e["VpcEndpointType"], "vpc": lid(e["VpcId"]),
                 "subnets": sorted(lid(s) for s in e.get("SubnetIds", [])),
                 "route_tables": sorted(lid(t) for t in e.get("RouteTableIds", []))}
                for e in ec2.describe_vpc_endpoints()["VpcEndpoints"]
            ],
            "security_groups": [
                {"id": lid(g["GroupId"]), "vpc": lid(g["VpcId"])}
                for g in ec2.describe_security_groups()["SecurityGroups"] if lid(g["GroupId"])
            ],
            "transit_gateways": sorted(
                lid(t["TransitGatewayId"]) for t in ec2.describe_transit_gateways()["TransitGateways"]
                if lid(t["TransitGatewayId"])),
            "tgw_attachments": [
                {"id": lid(a["TransitGatewayAttachmentId"]), "tgw": lid(a["TransitGatewayId"]),
                 "vpc": lid(a["VpcId"]), "subnets": sorted(lid(s) for s in a["SubnetIds"])}
                for a in ec2.describe_transit_gateway_vpc_attachments()["TransitGatewayVpcAttachments"]
                if lid(a["TransitGatewayAttachmentId"])
            ],
            "tgw_route_tables": [
                tgw_table(t)
                for t in ec2.describe_transit_gateway_route_tables()["TransitGatewayRouteTables"]
                if lid(t["TransitGatewayRouteTableId"])
            ],
            "vpn_gateways": [
                {"id": lid(g["VpnGatewayId"]),
                 "vpcs": sorted(lid(a["VpcId"]) for a in g.get("VpcAttachments", [])
                                if a.get("State") == "attached")}
                for g in ec2.describe_vpn_gateways()["VpnGateways"] if lid(g["VpnGatewayId"])
            ],
            "vpn_connections": [
                {"id": lid(c["VpnConnectionId"]), "vgw": lid(c.get("VpnGatewayId")),
                 "customer_gateway": lid(c["CustomerGatewayId"])}
                for c in ec2.describe_vpn_connections()["VpnConnections"]
                if lid(c["VpnConnectionId"])
            ],
            "peerings": [
                {"id": lid(p["VpcPeeringConnectionId"]),
                 "requester": lid(p["RequesterVpcInfo"]["VpcId"]),
                 "accepter": lid(p["AccepterVpcInfo"]["VpcId"]),
                 "status": p["Status"]["Code"]}
                for p in ec2.describe_vpc_peering_connections()["VpcPeeringConnections"]
            ],
        }
    print(json.dumps(out, indent=1, sort_keys=True))


def hcl(path):
    import hcl2

    with open(path) as f:
        tree = hcl2.load(f)

    def unquote(s):
        return s[1:-1] if isinstance(s, str) and s.startswith('"') and s.endswith('"') else s

    resources = []
    refs = set()
    for block in tree.get("resource", []):
        for rtype, named in block.items():
            for name, body in named.items():
                args = {k: v for k, v in body.items() if not k.startswith("__")}
                resources.append({
                    "type": unquote(rtype), "name": unquote(name), "args": sorted(args),
                    "values": {k: unquote(v) for k, v in args.items()
                               if isinstance(v, (str, int, bool))},
                })
                # Resource addresses in expressions (`aws_vpc.main.id`, and
                # bare ones in depends_on); `data.` and `var.` ones excluded.
                for m in re.finditer(r"(?<![\w.])(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)",
                                     json.dumps(args)):
                    refs.add(f"{m.group(1)}.{m.group(2)}")
    out = {
        "resources": resources,
        "refs": sorted(refs),
        "variables": sorted(unquote(k) for v in tree.get("variable", []) for k in v),
        "data": sorted(unquote(k) for d in tree.get("data", []) for k in d),
        "terraform": len(tree.get("terraform", [])),
    }
    print(json.dumps(out, indent=1, sort_keys=True))


def main(argv):
    match argv:
        case ["lint", yaml_path, json_path, region]:
            lint(yaml_path, json_path, region)
        case ["moto", template, region]:
            deploy(template, region)
        case ["hcl", path]:
            hcl(path)
        case _:
            sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])

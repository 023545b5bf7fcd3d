"""The round trip of issue 14: a .vpc file exported, deployed into moto,
read back as the AWS CLI would print it, imported, and compared with the
original. scripts/roundtrip.sh drives it; tests/import.rs runs that for
every example and two small `vpcc gen` networks.

  roundtrip.py readback TEMPLATE.json REGION
      deploys the template into moto's CloudFormation (in process; the
      workarounds of export_check.py, and those below) and prints one JSON
      object keyed by AWS CLI command (`describe-vpcs`, ...), the input of
      `vpcc import aws`.
  roundtrip.py compare ORIG_ROUTES ORIG_REPORT NEW_ROUTES NEW_REPORT
      compares `vpcc routes --format json` and `vpcc report --format json`
      of the original and of the import: subnets (CIDR, AZ, kind, table,
      ACL, effective routes in order with their kinds), instances (subnet,
      address, public IP), security-group and ACL rules, endpoints,
      peerings and the reachability matrix. Prints the differences, one a
      line; exits 1 if there is any.

Where moto 5.2.5 differs from AWS (../shared/notes/moto-cloudformation.md),
each workaround below says which difference it covers; nothing else is
adjusted.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_check  # noqa: E402


def install_more_workarounds():
    """moto 5.2.5 has no CloudFormation model for network ACLs and their
    entries and associations, stand-alone security-group egress rules, or
    DHCP options and their association: it logs and drops them. These
    models create them through moto's own EC2 API, as AWS's CloudFormation
    does."""
    import boto3
    from moto.cloudformation import parsing
    from moto.core.common_models import CloudFormationModel

    def model(cfn_type, create):
        class Model(CloudFormationModel):
            __module__ = "moto.ec2.roundtrip"

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
                ec2 = boto3.client("ec2", region_name=region_name)
                return cls(create(ec2, cloudformation_json["Properties"]))

        Model.__name__ = cfn_type.replace("::", "")
        return Model

    def tags(props):
        t = props.get("Tags")
        return [{"ResourceType": "network-acl", "Tags": t}] if t else []

    def acl(ec2, p):
        kw = {"VpcId": p["VpcId"]}
        if p.get("Tags"):
            kw["TagSpecifications"] = tags(p)
        return ec2.create_network_acl(**kw)["NetworkAcl"]["NetworkAclId"]

    def acl_entry(ec2, p):
        kw = {"NetworkAclId": p["NetworkAclId"], "RuleNumber": int(p["RuleNumber"]),
              "Protocol": str(p["Protocol"]), "RuleAction": p["RuleAction"],
              "Egress": bool(p.get("Egress", False)), "CidrBlock": p["CidrBlock"]}
        if "PortRange" in p:
            kw["PortRange"] = {"From": int(p["PortRange"]["From"]),
                               "To": int(p["PortRange"]["To"])}
        if "Icmp" in p:
            kw["IcmpTypeCode"] = {"Code": int(p["Icmp"]["Code"]),
                                  "Type": int(p["Icmp"]["Type"])}
        ec2.create_network_acl_entry(**kw)
        return f"{p['NetworkAclId']}:{kw['Egress']}:{kw['RuleNumber']}"

    def acl_assoc(ec2, p):
        acls = ec2.describe_network_acls(
            Filters=[{"Name": "association.subnet-id", "Values": [p["SubnetId"]]}])
        for a in acls["NetworkAcls"]:
            for assoc in a["Associations"]:
                if assoc["SubnetId"] == p["SubnetId"]:
                    return ec2.replace_network_acl_association(
                        AssociationId=assoc["NetworkAclAssociationId"],
                        NetworkAclId=p["NetworkAclId"])["NewAssociationId"]
        raise RuntimeError(f"no ACL association for {p['SubnetId']}")

    def sg_egress(ec2, p):
        perm = {"IpProtocol": str(p["IpProtocol"])}
        for k in ("FromPort", "ToPort"):
            if k in p:
                perm[k] = int(p[k])
        if "CidrIp" in p:
            perm["IpRanges"] = [{"CidrIp": p["CidrIp"]}]
        if "DestinationSecurityGroupId" in p:
            perm["UserIdGroupPairs"] = [{"GroupId": p["DestinationSecurityGroupId"]}]
        if "DestinationPrefixListId" in p:
            perm["PrefixListIds"] = [{"PrefixListId": p["DestinationPrefixListId"]}]
        ec2.authorize_security_group_egress(GroupId=p["GroupId"], IpPermissions=[perm])
        return f"{p['GroupId']}-egress-{len(json.dumps(perm))}"

    def dhcp(ec2, p):
        conf = []
        if "DomainName" in p:
            conf.append({"Key": "domain-name", "Values": [p["DomainName"]]})
        if "DomainNameServers" in p:
            conf.append({"Key": "domain-name-servers", "Values": p["DomainNameServers"]})
        if "NtpServers" in p:
            conf.append({"Key": "ntp-servers", "Values": p["NtpServers"]})
        return ec2.create_dhcp_options(DhcpConfigurations=conf)["DhcpOptions"]["DhcpOptionsId"]

    def dhcp_assoc(ec2, p):
        ec2.associate_dhcp_options(DhcpOptionsId=p["DhcpOptionsId"], VpcId=p["VpcId"])
        return f"{p['DhcpOptionsId']}:{p['VpcId']}"

    # moto's AWS::EC2::Instance reads neither SecurityGroupIds nor
    # NetworkInterfaces nor SourceDestCheck (an instance lands in the
    # default VPC's subnet, in the default group, with a random address):
    # this one makes the instance through moto's RunInstances, as AWS does.
    from moto.ec2.models import ec2_backends
    from moto.ec2.models.instances import Instance
    from moto.ec2.models.subnets import Subnet
    from moto.ec2.models.vpcs import VPC

    def instance_from_cfn(cls, resource_name, cloudformation_json, account_id,
                          region_name, **kwargs):
        p = cloudformation_json["Properties"]
        ec2 = boto3.client("ec2", region_name=region_name)
        kw = {"ImageId": p["ImageId"], "InstanceType": p.get("InstanceType", "t3.micro"),
              "MinCount": 1, "MaxCount": 1}
        if p.get("NetworkInterfaces"):
            n = p["NetworkInterfaces"][0]
            kw["NetworkInterfaces"] = [{
                "DeviceIndex": 0, "SubnetId": n["SubnetId"],
                "PrivateIpAddress": n["PrivateIpAddress"], "Groups": n.get("GroupSet", []),
                "AssociatePublicIpAddress": bool(n.get("AssociatePublicIpAddress", False))}]
        else:
            kw.update(SubnetId=p["SubnetId"], PrivateIpAddress=p["PrivateIpAddress"])
            if p.get("SecurityGroupIds"):
                kw["SecurityGroupIds"] = p["SecurityGroupIds"]
        if p.get("Tags"):
            kw["TagSpecifications"] = [{"ResourceType": "instance", "Tags": p["Tags"]}]
        iid = ec2.run_instances(**kw)["Instances"][0]["InstanceId"]
        if "SourceDestCheck" in p:
            ec2.modify_instance_attribute(InstanceId=iid,
                                          SourceDestCheck={"Value": bool(p["SourceDestCheck"])})
        return ec2_backends[account_id][region_name].get_instance(iid)

    Instance.create_from_cloudformation_json = classmethod(instance_from_cfn)

    # moto ignores a template's MapPublicIpOnLaunch and the VPC's
    # EnableDnsSupport / EnableDnsHostnames (read back as the defaults):
    # they are set after moto makes the object, through its EC2 API.
    subnet_from_cfn = Subnet.create_from_cloudformation_json.__func__

    def subnet_with_map(cls, resource_name, cloudformation_json, account_id,
                        region_name, **kwargs):
        subnet = subnet_from_cfn(cls, resource_name, cloudformation_json, account_id,
                                 region_name, **kwargs)
        p = cloudformation_json["Properties"]
        if "MapPublicIpOnLaunch" in p:
            boto3.client("ec2", region_name=region_name).modify_subnet_attribute(
                SubnetId=subnet.id, MapPublicIpOnLaunch={"Value": bool(p["MapPublicIpOnLaunch"])})
        return subnet

    Subnet.create_from_cloudformation_json = classmethod(subnet_with_map)
    vpc_from_cfn = VPC.create_from_cloudformation_json.__func__

    def vpc_with_dns(cls, resource_name, cloudformation_json, account_id,
                     region_name, **kwargs):
        vpc = vpc_from_cfn(cls, resource_name, cloudformation_json, account_id,
                           region_name, **kwargs)
        p = cloudformation_json["Properties"]
        ec2 = boto3.client("ec2", region_name=region_name)
        for key in ("EnableDnsSupport", "EnableDnsHostnames"):
            if key in p:
                ec2.modify_vpc_attribute(VpcId=vpc.id, **{key: {"Value": bool(p[key])}})
        return vpc

    VPC.create_from_cloudformation_json = classmethod(vpc_with_dns)

    # moto's AWS::EC2::SecurityGroup ignores inline SecurityGroupEgress: AWS
    # then drops the group's default allow-all egress rule and adds those
    # given (vpcc export writes one, to loopback, for a group whose egress
    # the file writes).
    from moto.ec2.models.security_groups import SecurityGroup
    sg_from_cfn = SecurityGroup.create_from_cloudformation_json.__func__

    def sg_with_egress(cls, resource_name, cloudformation_json, account_id,
                       region_name, **kwargs):
        group = sg_from_cfn(cls, resource_name, cloudformation_json, account_id,
                            region_name, **kwargs)
        rules = cloudformation_json["Properties"].get("SecurityGroupEgress")
        if rules:
            ec2 = boto3.client("ec2", region_name=region_name)
            ec2.revoke_security_group_egress(GroupId=group.id, IpPermissions=[
                {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
            ec2.authorize_security_group_egress(GroupId=group.id, IpPermissions=[
                {"IpProtocol": str(r["IpProtocol"]), "IpRanges": [{"CidrIp": r["CidrIp"]}]}
                for r in rules])
        return group

    SecurityGroup.create_from_cloudformation_json = classmethod(sg_with_egress)

    models = [
        model("AWS::EC2::NetworkAcl", acl),
        model("AWS::EC2::NetworkAclEntry", acl_entry),
        model("AWS::EC2::SubnetNetworkAclAssociation", acl_assoc),
        model("AWS::EC2::SecurityGroupEgress", sg_egress),
        model("AWS::EC2::DHCPOptions", dhcp),
        model("AWS::EC2::VPCDHCPOptionsAssociation", dhcp_assoc),
    ]
    parsing.get_model_list.cache_clear()
    parsing.get_model_map.cache_clear()
    parsing.get_name_type_map.cache_clear()
    supported = parsing.get_model_map()
    for m in models:
        assert m.cloudformation_type() in supported, m.cloudformation_type()


def readback(template_path, region):
    import boto3
    from moto import mock_aws
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ec2.models import ec2_backends

    with open(template_path) as f:
        body = f.read()
    template = json.loads(body)
    declared = template.get("Parameters", {})
    skipped = set()
    with mock_aws():
        export_check.install_moto_workarounds(skipped)
        install_more_workarounds()
        cfn = boto3.client("cloudformation", region_name=region)
        ec2 = boto3.client("ec2", region_name=region)
        params = []
        for key, service in (("PrefixListS3", "s3"), ("PrefixListDynamodb", "dynamodb")):
            if key in declared:
                lists = ec2.describe_managed_prefix_lists(Filters=[{
                    "Name": "prefix-list-name",
                    "Values": [f"com.amazonaws.{region}.{service}"]}])["PrefixLists"]
                params.append({"ParameterKey": key, "ParameterValue": lists[0]["PrefixListId"]})
        if "ImageId" in declared:
            image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
            ssm = boto3.client("ssm", region_name=region)
            ssm.put_parameter(Name="/vpcc-export/ami", Value=image, Type="String")
            params.append({"ParameterKey": "ImageId", "ParameterValue": "/vpcc-export/ami"})
        cfn.create_stack(StackName="vpcc-roundtrip", TemplateBody=body, Parameters=params)
        # moto difference: a stack's peering between two VPCs of one account
        # and region stays `pending-acceptance`; AWS's CloudFormation
        # accepts it (no PeerOwnerId or PeerRoleArn is needed).
        for pcx in ec2.describe_vpc_peering_connections()["VpcPeeringConnections"]:
            if pcx["Status"]["Code"] == "pending-acceptance":
                ec2.accept_vpc_peering_connection(
                    VpcPeeringConnectionId=pcx["VpcPeeringConnectionId"])
        status = cfn.describe_stacks(StackName="vpcc-roundtrip")["Stacks"][0]["StackStatus"]
        if status != "CREATE_COMPLETE" or skipped:
            sys.exit(f"stack {status}; moto skipped {sorted(skipped)}")
        physical = {
            r["LogicalResourceId"]: r["PhysicalResourceId"]
            for r in cfn.list_stack_resources(StackName="vpcc-roundtrip")["StackResourceSummaries"]
        }
        resources = template["Resources"]

        out = {
            "describe-vpcs": ec2.describe_vpcs(),
            "describe-subnets": ec2.describe_subnets(),
            "describe-route-tables": ec2.describe_route_tables(),
            "describe-internet-gateways": ec2.describe_internet_gateways(),
            "describe-nat-gateways": ec2.describe_nat_gateways(),
            "describe-security-groups": ec2.describe_security_groups(),
            "describe-network-acls": ec2.describe_network_acls(),
            "describe-instances": ec2.describe_instances(),
            "describe-vpc-endpoints": ec2.describe_vpc_endpoints(),
            "describe-vpc-peering-connections": ec2.describe_vpc_peering_connections(),
            "describe-dhcp-options": ec2.describe_dhcp_options(),
            "describe-addresses": ec2.describe_addresses(),
            "describe-managed-prefix-lists": ec2.describe_managed_prefix_lists(),
        }
        out["describe-vpc-attribute"] = [
            {"VpcId": v["VpcId"], **{
                key: ec2.describe_vpc_attribute(VpcId=v["VpcId"], Attribute=attr)[key]
                for key, attr in (("EnableDnsSupport", "enableDnsSupport"),
                                  ("EnableDnsHostnames", "enableDnsHostnames"))}}
            for v in out["describe-vpcs"]["Vpcs"]
        ]
        # The account's own prefix lists' entries, keyed by list id, as
        # docs/interop.md's loop over get-managed-prefix-list-entries does.
        out["get-managed-prefix-list-entries"] = {
            pl["PrefixListId"]: ec2.get_managed_prefix_list_entries(PrefixListId=pl["PrefixListId"])
            for pl in out["describe-managed-prefix-lists"]["PrefixLists"]
            if pl.get("OwnerId") != "AWS"
        }
        # Transit gateways: the stack's gateways, tables and VPC
        # attachments, and per table (keyed by table id, as a loop over
        # the tables would save them) its associations, propagations and
        # static routes.
        stack_ids = set(physical.values())
        out["describe-transit-gateways"] = ec2.describe_transit_gateways()
        out["describe-transit-gateways"]["TransitGateways"] = [
            g for g in out["describe-transit-gateways"]["TransitGateways"]
            if g["TransitGatewayId"] in stack_ids]
        out["describe-transit-gateway-route-tables"] = ec2.describe_transit_gateway_route_tables()
        tgw_tables = [t for t in out["describe-transit-gateway-route-tables"]["TransitGatewayRouteTables"]
                      if t["TransitGatewayRouteTableId"] in stack_ids]
        out["describe-transit-gateway-route-tables"]["TransitGatewayRouteTables"] = tgw_tables
        out["describe-transit-gateway-vpc-attachments"] = ec2.describe_transit_gateway_vpc_attachments()
        out["get-transit-gateway-route-table-associations"] = {}
        out["get-transit-gateway-route-table-propagations"] = {}
        out["search-transit-gateway-routes"] = {}
        for t in tgw_tables:
            tid = t["TransitGatewayRouteTableId"]
            out["get-transit-gateway-route-table-associations"][tid] = \
                ec2.get_transit_gateway_route_table_associations(TransitGatewayRouteTableId=tid)
            out["get-transit-gateway-route-table-propagations"][tid] = \
                ec2.get_transit_gateway_route_table_propagations(TransitGatewayRouteTableId=tid)
            routes = ec2.search_transit_gateway_routes(
                TransitGatewayRouteTableId=tid,
                Filters=[{"Name": "type", "Values": ["static"]}])
            # moto difference: its answer has an empty attachment list for
            # every route; the attachment is in its model (AWS lists it).
            held = ec2_backends[DEFAULT_ACCOUNT_ID][region].transit_gateways_route_tables[tid].routes
            for r in routes["Routes"]:
                att = held[r["DestinationCidrBlock"]].get("transitGatewayAttachments") or {}
                if att.get("transitGatewayAttachmentId"):
                    r["TransitGatewayAttachments"] = [
                        {"TransitGatewayAttachmentId": att["transitGatewayAttachmentId"]}]
            out["search-transit-gateway-routes"][tid] = routes
        for v in [*out.values(), *out["get-transit-gateway-route-table-associations"].values(),
                  *out["get-transit-gateway-route-table-propagations"].values(),
                  *out["search-transit-gateway-routes"].values()]:
            if isinstance(v, dict):
                v.pop("ResponseMetadata", None)

        # Only the stack's VPCs, as `aws ec2 describe-* --filters
        # Name=vpc-id,Values=...` would print (moto, like an AWS account,
        # also holds a default VPC).
        ours = {physical[l] for l, r in resources.items()
                if r["Type"] == "AWS::EC2::VPC" and l in physical}
        for command, key in (("describe-vpcs", "Vpcs"), ("describe-subnets", "Subnets"),
                             ("describe-route-tables", "RouteTables"),
                             ("describe-nat-gateways", "NatGateways"),
                             ("describe-security-groups", "SecurityGroups"),
                             ("describe-network-acls", "NetworkAcls"),
                             ("describe-vpc-endpoints", "VpcEndpoints")):
            out[command][key] = [o for o in out[command][key] if o.get("VpcId") in ours]
        out["describe-internet-gateways"]["InternetGateways"] = [
            g for g in out["describe-internet-gateways"]["InternetGateways"]
            if any(a.get("VpcId") in ours for a in g.get("Attachments", []))]
        for r in out["describe-instances"]["Reservations"]:
            r["Instances"] = [i for i in r["Instances"] if i.get("VpcId") in ours]
        out["describe-instances"]["Reservations"] = [
            r for r in out["describe-instances"]["Reservations"] if r["Instances"]]
        out["describe-vpc-attribute"] = [
            a for a in out["describe-vpc-attribute"] if a["VpcId"] in ours]

        # moto difference: a VPC's default security group has no inbound
        # rule; AWS's allows all traffic from the group's own members.
        for g in out["describe-security-groups"]["SecurityGroups"]:
            if g["GroupName"] == "default" and not g["IpPermissions"]:
                g["IpPermissions"] = [{"IpProtocol": "-1", "IpRanges": [], "Ipv6Ranges": [],
                                       "PrefixListIds": [], "UserIdGroupPairs": [
                                           {"GroupId": g["GroupId"], "UserId": g["OwnerId"]}]}]

        # moto difference: a stack's SubnetRouteTableAssociation is not in
        # describe_route_tables' Associations; moto keeps it in the EC2
        # backend's subnet_associations ("rtb-...:subnet-...").
        backend = ec2_backends[DEFAULT_ACCOUNT_ID][region]
        shown = {(a.get("RouteTableId"), a.get("SubnetId"))
                 for t in out["describe-route-tables"]["RouteTables"]
                 for a in t.get("Associations", [])}
        for key, assoc in backend.subnet_associations.items():
            table, subnet = key.split(":", 1)
            if (table, subnet) in shown:
                continue
            for t in out["describe-route-tables"]["RouteTables"]:
                if t["RouteTableId"] == table:
                    t.setdefault("Associations", []).append({
                        "Main": False, "RouteTableId": table, "SubnetId": subnet,
                        "RouteTableAssociationId": getattr(assoc, "id", None) or f"rtbassoc-{subnet}",
                        "AssociationState": {"State": "associated"}})

        # moto difference: it drops the Tags of several types (route
        # tables, NAT gateways, ...); the Name tag the template gives is
        # restored on the object the stack made.
        name_of = {}
        for logical, r in resources.items():
            for t in r.get("Properties", {}).get("Tags", []):
                if t.get("Key") == "Name" and logical in physical:
                    name_of[physical[logical]] = t["Value"]
        def retag(obj, id_key):
            name = name_of.get(obj.get(id_key))
            if name is None:
                return
            tags = [t for t in obj.get("Tags", []) if t["Key"] != "Name"]
            obj["Tags"] = tags + [{"Key": "Name", "Value": name}]

        for command, key, id_key in (
                ("describe-vpcs", "Vpcs", "VpcId"),
                ("describe-subnets", "Subnets", "SubnetId"),
                ("describe-route-tables", "RouteTables", "RouteTableId"),
                ("describe-internet-gateways", "InternetGateways", "InternetGatewayId"),
                ("describe-nat-gateways", "NatGateways", "NatGatewayId"),
                ("describe-security-groups", "SecurityGroups", "GroupId"),
                ("describe-network-acls", "NetworkAcls", "NetworkAclId"),
                ("describe-vpc-endpoints", "VpcEndpoints", "VpcEndpointId"),
                ("describe-vpc-peering-connections", "VpcPeeringConnections",
                 "VpcPeeringConnectionId")):
            for obj in out[command][key]:
                retag(obj, id_key)
        for r in out["describe-instances"]["Reservations"]:
            for i in r["Instances"]:
                retag(i, "InstanceId")

    print(json.dumps(out, indent=1, sort_keys=True, default=str))


def compare(orig_routes, orig_report, new_routes, new_report):
    loads = []
    for p in (orig_routes, orig_report, new_routes, new_report):
        with open(p) as f:
            loads.append(json.load(f))
    a_routes, a_report, b_routes, b_report = loads
    diffs = []

    def check(what, a, b):
        if a != b:
            diffs.append(f"{what}:\n  original: {json.dumps(a, sort_keys=True)}\n"
                         f"  imported: {json.dumps(b, sort_keys=True)}")

    def externals(routes):
        return {e["name"]: e["cidrs"] for e in routes["externals"]}

    def zone(routes, az):
        # A file without `region` names zones by letter; the export puts
        # them in the deploy region's zones in order, which the import names.
        if az and routes.get("region") is None and len(az) == 1:
            return f"us-east-1{az}"
        return az

    def subnets(routes):
        return {s["name"]: {
            "vpc": s["vpc"], "cidr": s["cidr"], "az": zone(routes, s["az"]),
            "kind": s["kind"], "route_table": s["route_table"],
            "network_acl": s["network_acl"], "public_ip_on_launch": s["public_ip_on_launch"],
            "routes": [(r["destination"], r["target"], r["target_kind"]) for r in s["routes"]],
        } for s in routes["subnets"]}

    def vpcs(routes):
        return {v["name"]: {
            "cidrs": v["cidrs"], "dns_support": v["dns_support"],
            "dns_hostnames": v["dns_hostnames"], "internet_gateway": v["internet_gateway"],
            "name_servers": (v["dhcp_options"]["amazon_provided_dns"],
                             v["dhcp_options"]["name_servers"]),
            "domain_name": v["dhcp_options"]["domain_name"],
            "ntp_servers": v["dhcp_options"]["ntp_servers"],
        } for v in routes["vpcs"]}

    def instances(routes):
        # NAT gateways' and endpoint interfaces' addresses are vpcc's
        # allocation on one side and moto's random pick on the other; a
        # .vpc file cannot write them, so only instances are compared.
        return {i["name"]: (i["subnet"], i["address"], i["public_ip"])
                for i in routes["interfaces"] if i["kind"] == "instance"}

    def peer_cidrs(routes, rule):
        ext = externals(routes)
        kind = rule["peer_kind"]
        if kind == "external":
            return ext[rule["peer"]]
        if kind == "internet":
            return ["0.0.0.0/0"]
        return [rule["peer"]]

    def sgs(routes):
        out = {}
        for g in routes["security_groups"]:
            if g["default"]:
                continue
            out[g["name"]] = {
                d: sorted({(r["protocol"], r["ports"], kind_of(r), c)
                           for r in g[d] for c in peer_cidrs(routes, r)})
                for d in ("ingress", "egress")}
        return out

    def kind_of(rule):
        return "cidr" if rule["peer_kind"] in ("external", "internet", "cidr") else rule["peer_kind"]

    def acls(routes):
        return {a["name"]: {
            d: [(r["number"], r["action"], r["protocol"], r["ports"], r["cidrs"]) for r in a[d]]
            for d in ("inbound", "outbound")}
            for a in routes["network_acls"] if not a["default"]}

    def endpoints(routes):
        return {e["name"]: {k: v for k, v in e.items() if k not in ("name", "service_name",
                                                                     "interfaces")}
                for e in routes["endpoints"]}

    def peerings(routes):
        return {p["name"]: p for p in routes["peerings"]}

    def transit_gateways(routes):
        # Each table (associations and propagations as sets, routes in
        # match order with their origin) and each attachment, by name.
        out = {}
        for g in routes.get("transit_gateways", []):
            for t in g["route_tables"]:
                out[f'{g["name"]} table {t["name"]}'] = {
                    "associations": sorted(t["associations"]),
                    "propagations": sorted(t["propagations"]),
                    "routes": t["routes"]}
            for a in g["attachments"]:
                out[f'{g["name"]} attachment {a["name"]}'] = a
        return out

    def matrix(report):
        m = report["matrix"]
        # Rows and columns come in source order, which AWS does not keep
        # (the import writes describe-* order): compared as sets.
        return {
            "sources": sorted(s["label"] for s in m["sources"]),
            "destinations": sorted(d["label"] for d in m["destinations"]),
            "cells": {f'{c["from"]} -> {c["to"]}': c["summary"] for c in m["cells"]},
        }

    for what, f in (("vpcs", vpcs), ("subnets", subnets), ("instances", instances),
                    ("security groups", sgs), ("network ACLs", acls),
                    ("endpoints", endpoints), ("peerings", peerings),
                    ("transit gateway", transit_gateways)):
        a, b = f(a_routes), f(b_routes)
        for key in sorted(set(a) | set(b)):
            check(f"{what} {key}", a.get(key), b.get(key))
    a, b = matrix(a_report), matrix(b_report)
    check("matrix sources", a["sources"], b["sources"])
    check("matrix destinations", a["destinations"], b["destinations"])
    for key in sorted(set(a["cells"]) | set(b["cells"])):
        check(f"matrix {key}", a["cells"].get(key), b["cells"].get(key))
    for d in diffs:
        print(d)
    sys.exit(1 if diffs else 0)


def main(argv):
    match argv:
        case ["readback", template, region]:
            readback(template, region)
        case ["compare", a_routes, a_report, b_routes, b_report]:
            compare(a_routes, a_report, b_routes, b_report)
        case _:
            sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])

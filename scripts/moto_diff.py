#!/usr/bin/env python3
"""Differential test: vpcc's CIDR rules against moto's EC2 mock.

With a fixed seed, generates N random address plans (a VPC CIDR of random
size /8-/30, valid or not, host bits sometimes set, malformed sometimes; an
optional secondary CIDR; 1-4 subnets inside, outside or overlapping), applies
each to moto (boto3 ``create_vpc``, ``associate_vpc_cidr_block``,
``create_subnet`` in us-east-1) and to vpcc (a .vpc file checked with
``vpcc check --message-format json``, one JSON diagnostic per line), and
compares the verdicts for every rule moto enforces:

    moto error                vpcc code
    InvalidVpc.Range          E0103  VPC prefix length outside /16-/28
    InvalidSubnet.Range       E0105  subnet not inside a CIDR of its VPC
    InvalidSubnet.Conflict    E0106  a subnet overlaps an earlier one
    InvalidParameterValue     E0101 / E0001  malformed CIDR

moto answers one API call at a time, while vpcc checks a whole file at once
and must report every error in one run. So each subnet is asked of moto on
its own (a fresh VPC with the same CIDRs, then that subnet), and each pair
of individually accepted subnets likewise (a fresh VPC, then both): the
verdicts do not depend on the order of creation. vpcc is run once per plan,
and its diagnostics are attributed to statements by line (a subnet pair by
the lines its E0106 labels cover).

Where moto is more lenient than the AWS documentation (aws-facts.md §1),
vpcc follows the documentation. Those cases are DOCUMENTED DIVERGENCES,
listed in DIVERGENCES below; they are tallied, not counted as failures, but
vpcc must then give the documented code. Anything else that disagrees is
UNEXPLAINED and makes the script exit 1.

moto behaviour observed (moto 5.2.5, boto3 1.44.5), per case type:
  VPC, prefix /8, /15, /29, /32        InvalidVpc.Range
  VPC, prefix /16-/28                  accepted
  VPC, host bits (10.0.0.5/16)         accepted and stored as written
  VPC, no prefix (10.0.0.0)            InvalidVpc.Range (vpcc: E0101)
  VPC, 169.254.0.0/16                  accepted (AWS: never assignable)
  VPC, /33, 256.x, 10.0.0/16, "abc"    InvalidParameterValue
  secondary, any size (/8, /15, /29)   accepted (AWS: /16-/28)
  secondary overlapping the primary    accepted (AWS: refused)
  secondary from a restricted range    accepted (AWS: table in aws-facts §1)
  secondary, no prefix (10.7.0.0)      accepted
  secondary, malformed                 InvalidParameterValue
  secondary, the 5th block             CidrLimitExceeded (not generated)
  subnet outside every VPC block       InvalidSubnet.Range
  subnet spanning two adjacent blocks  InvalidSubnet.Range
  subnet larger than the VPC           InvalidSubnet.Range
  subnet /29-/32 inside the VPC        accepted (AWS: /16-/28)
  subnet /8-/15 inside a /8 secondary  accepted (AWS: /16-/28)
  subnet with host bits                accepted; overlap uses the network
  subnet overlapping another           InvalidSubnet.Conflict
  subnet, no prefix (10.0.9.0)         accepted as written
  subnet, malformed                    InvalidParameterValue
  subnet /30 or /31                    crashes inside moto: StopIteration
  subnet /32                           accepted

Usage: moto_diff.py --vpcc PATH [--seed 1] [--cases 300] [--keep DIR] [-v]
"""

from __future__ import annotations

import argparse
import collections
import ipaddress
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field

import boto3
from botocore.exceptions import ClientError
from moto import mock_aws

REGION = "us-east-1"

# Documented divergences: moto accepts (or rejects differently) where the AWS
# documentation, and so vpcc, decides otherwise. Key -> explanation.
DIVERGENCES = {
    "vpc-host-bits": "moto accepts a VPC CIDR with host bits set; AWS canonicalises it and vpcc "
    "reports E0102 (aws-facts §1: canonicalisation can silently change the block)",
    "vpc-no-prefix": "moto reports InvalidVpc.Range for a VPC CIDR without a prefix length; vpcc "
    "reports the literal as malformed (E0101)",
    "secondary-lenient": "moto checks nothing but syntax and the block count on "
    "associate_vpc_cidr_block; per the documentation vpcc reports size (E0103/E0107), overlap "
    "with the VPC's blocks and restricted ranges (E0107), host bits (E0102), a missing prefix (E0101)",
    "subnet-size": "moto accepts subnets outside /16-/28 when they fit the VPC; vpcc reports E0104",
    "moto-crash": "moto raises an internal error (StopIteration while reserving addresses) for "
    "a /30 or /31 subnet; AWS refuses sizes outside "
    "/16-/28 and vpcc reports E0104",
    "subnet-host-bits": "moto accepts a subnet CIDR with host bits set; vpcc reports E0102",
    "subnet-no-prefix": "moto accepts a subnet CIDR without a prefix length; vpcc reports E0101",
    "depends-on-secondary": "the subnet (or pair) lies in a secondary block that moto accepted "
    "and the documentation refuses, so vpcc may judge it against fewer blocks",
    "depends-on-divergent-subnet": "a pair whose member vpcc already refuses for a documented "
    "reason (size, host bits): whether it also reports the overlap is its choice",
    "parse-stops": "vpcc does not check rules past a malformed literal or a syntax error (one "
    "stage at a time), so statements other than the malformed one are not compared",
}

CIDR_CODES = {"E0001", "E0101", "E0102", "E0103", "E0104", "E0105", "E0106", "E0107"}
MALFORMED = ["10.0.0.0/33", "256.1.0.0/16", "10.0.0.300/24", "10.0.0/16", "10.0.0.0/99"]


# ---------------------------------------------------------------------------
# Plans
# ---------------------------------------------------------------------------


@dataclass
class Cidr:
    text: str
    kind: str  # "ok", "host-bits", "no-prefix", "malformed"

    def net(self) -> ipaddress.IPv4Network | None:
        """The network AWS would use (host bits dropped), or None."""
        if self.kind == "malformed":
            return None
        try:
            return ipaddress.ip_network(self.text, strict=False)
        except ValueError:
            return None


@dataclass
class Plan:
    index: int
    primary: Cidr
    secondary: Cidr | None
    subnets: list[Cidr] = field(default_factory=list)

    def vpc_text(self) -> str:
        lines = [f"# moto_diff case {self.index}", f"vpc v {self.primary.text} {{"]
        if self.secondary is not None:
            lines.append(f"  cidr {self.secondary.text}")
        for i, s in enumerate(self.subnets):
            lines.append(f"  subnet s{i} {s.text} az {'abcd'[i % 4]}")
        lines.append("}")
        return "\n".join(lines) + "\n"

    # 1-based line of each statement in vpc_text().
    def vpc_line(self) -> int:
        return 2

    def secondary_line(self) -> int:
        return 3

    def subnet_line(self, i: int) -> int:
        return 3 + (1 if self.secondary is not None else 0) + i


def net_text(addr: int, length: int) -> str:
    return f"{ipaddress.IPv4Address(addr & 0xFFFFFFFF)}/{length}"


def aligned(addr: int, length: int) -> int:
    mask = (0xFFFFFFFF << (32 - length)) & 0xFFFFFFFF if length else 0
    return addr & mask


def cidr(rng: random.Random, addr: int, length: int, p_host=0.12, p_bad=0.04, p_noprefix=0.02) -> Cidr:
    r = rng.random()
    if r < p_bad:
        return Cidr(rng.choice(MALFORMED), "malformed")
    if r < p_bad + p_noprefix:
        return Cidr(str(ipaddress.IPv4Address(aligned(addr, length))), "no-prefix")
    base = aligned(addr, length)
    if length < 32 and rng.random() < p_host:
        host = rng.randrange(1, 1 << (32 - length))
        return Cidr(net_text(base | host, length), "host-bits")
    return Cidr(net_text(base, length), "ok")


def random_base(rng: random.Random) -> int:
    family = rng.random()
    if family < 0.6:
        return (10 << 24) | rng.randrange(0, 1 << 24)
    if family < 0.8:
        return (172 << 24) | ((16 + rng.randrange(16)) << 16) | rng.randrange(0, 1 << 16)
    if family < 0.95:
        return (192 << 24) | (168 << 16) | rng.randrange(0, 1 << 16)
    return (100 << 24) | ((64 + rng.randrange(64)) << 16) | rng.randrange(0, 1 << 16)


def make_plan(rng: random.Random, index: int) -> Plan:
    vlen = rng.choice([8, 12, 15] + list(range(16, 29)) * 3 + [29, 30])
    base = aligned(random_base(rng), vlen)
    primary = cidr(rng, base, vlen)
    secondary = None
    blocks = [(base, vlen)]
    if rng.random() < 0.3:
        kind = rng.random()
        if kind < 0.4:  # another block of the same family, maybe adjacent
            slen = rng.choice([16, 18, 20, 24, 28, 12, 29])
            sbase = aligned(base + (1 << (32 - min(vlen, slen))) * rng.choice([1, 2, 5]), slen)
        elif kind < 0.6:  # overlapping the primary
            slen = min(32, vlen + rng.choice([0, 1, 4]))
            sbase = aligned(base, slen)
        elif kind < 0.8:  # another private or shared range
            slen = rng.choice([16, 20, 24])
            sbase = aligned(rng.choice([0xAC1F0000, 0xC0A80000, 0x0A000000, 0x64400000, 0xC6130000, 0x0A650000]), slen)
        else:  # anything
            slen = rng.randrange(8, 31)
            sbase = aligned(random_base(rng), slen)
        secondary = cidr(rng, sbase, slen, p_bad=0.05)
        blocks.append((sbase, slen))
    plan = Plan(index, primary, secondary)
    previous: list[tuple[int, int]] = []
    for _ in range(rng.randrange(1, 5)):
        kind = rng.random()
        bbase, blen = rng.choice(blocks)
        if kind < 0.55 or not previous:  # inside a block, aligned, random size
            slen = min(32, blen + rng.choice([0, 1, 2, 4, 6, 8, 8, 8, 10, 12, 14]))
            slen = max(slen, blen)
            offset = rng.randrange(0, 1 << (slen - blen)) if slen > blen else 0
            sbase = bbase + (offset << (32 - slen)) if slen < 32 else bbase + offset
        elif kind < 0.7:  # outside: elsewhere, or larger than the block
            if rng.random() < 0.5:
                slen = rng.choice([16, 20, 24, 28])
                sbase = aligned(random_base(rng), slen)
            else:
                slen = max(0, blen - rng.choice([1, 4]))
                sbase = aligned(bbase, slen)
        else:  # overlapping an earlier subnet: same, inside it or around it
            pbase, plen = rng.choice(previous)
            slen = max(0, min(32, plen + rng.choice([0, 0, 1, 2, -1])))
            sbase = aligned(pbase, slen)
        previous.append((aligned(sbase, slen), slen))
        plan.subnets.append(cidr(rng, sbase, slen, p_bad=0.02, p_noprefix=0.01))
    return plan


# ---------------------------------------------------------------------------
# The AWS documentation's rules for a secondary block (aws-facts.md §1)
# ---------------------------------------------------------------------------

RFC1918 = [ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")]
N = ipaddress.ip_network


def restricted_for(primary: ipaddress.IPv4Network) -> list[ipaddress.IPv4Network]:
    if primary.subnet_of(N("10.0.0.0/8")):
        r = [N("172.16.0.0/12"), N("192.168.0.0/16"), N("198.19.0.0/16")]
        if primary.subnet_of(N("10.0.0.0/15")):
            r.append(N("10.0.0.0/16"))
        return r
    if primary.subnet_of(N("172.16.0.0/12")):
        return [N("10.0.0.0/8"), N("192.168.0.0/16"), N("172.31.0.0/16"), N("198.19.0.0/16")]
    if primary.subnet_of(N("192.168.0.0/16")):
        return [N("10.0.0.0/8"), N("172.16.0.0/12"), N("198.19.0.0/16")]
    if primary.subnet_of(N("198.19.0.0/16")):
        return list(RFC1918)
    return list(RFC1918) + [N("198.19.0.0/16")]


def secondary_doc_problems(primary: ipaddress.IPv4Network, sec: Cidr) -> list[str]:
    """Why the documentation refuses `sec` as a secondary block of `primary`."""
    if sec.kind == "malformed":
        return ["malformed"]
    if sec.kind == "no-prefix":
        return ["no-prefix"]
    net = sec.net()
    problems = []
    if sec.kind == "host-bits":
        problems.append("host-bits")
    if not 16 <= net.prefixlen <= 28:
        problems.append("size")
    if net.overlaps(primary):
        problems.append("overlap")
    if any(net.overlaps(r) for r in restricted_for(primary)) or net.overlaps(N("169.254.0.0/16")):
        problems.append("restricted")
    return problems


# ---------------------------------------------------------------------------
# moto
# ---------------------------------------------------------------------------


def call(fn, **kw) -> str:
    """'OK', the EC2 error code, or 'moto-crash' when moto itself fails."""
    try:
        fn(**kw)
        return "OK"
    except ClientError as e:
        return e.response["Error"]["Code"]
    except Exception:  # noqa: BLE001 - moto's own bugs, e.g. StopIteration on /31
        return "moto-crash"


@dataclass
class MotoVerdicts:
    vpc: str = "OK"
    secondary: str | None = None
    subnets: list[str] = field(default_factory=list)
    pairs: dict[tuple[int, int], str] = field(default_factory=dict)


def moto_verdicts(ec2, plan: Plan) -> MotoVerdicts:
    """Every verdict moto gives on `plan`. Each question gets a fresh VPC
    in the one mocked account (moto sets no VPC quota), which is much faster
    than a fresh mock per case."""
    out = MotoVerdicts()

    def fresh_vpc() -> str | None:
        try:
            vpc_id = ec2.create_vpc(CidrBlock=plan.primary.text)["Vpc"]["VpcId"]
        except ClientError as e:
            out.vpc = e.response["Error"]["Code"]
            return None
        if plan.secondary is not None:
            out.secondary = call(ec2.associate_vpc_cidr_block, VpcId=vpc_id, CidrBlock=plan.secondary.text)
        return vpc_id

    if fresh_vpc() is None:
        return out
    for s in plan.subnets:
        vpc_id = fresh_vpc()
        out.subnets.append(call(ec2.create_subnet, VpcId=vpc_id, CidrBlock=s.text))
    ok = [i for i, v in enumerate(out.subnets) if v == "OK"]
    for a in range(len(ok)):
        for b in range(a + 1, len(ok)):
            i, j = ok[a], ok[b]
            vpc_id = fresh_vpc()
            ec2.create_subnet(VpcId=vpc_id, CidrBlock=plan.subnets[i].text)
            out.pairs[(i, j)] = call(ec2.create_subnet, VpcId=vpc_id, CidrBlock=plan.subnets[j].text)
    return out


# ---------------------------------------------------------------------------
# vpcc
# ---------------------------------------------------------------------------


@dataclass
class VpccVerdicts:
    exit_code: int
    by_line: dict[int, set[str]]
    # Lines covered by the labels of each E0106.
    overlaps: list[set[int]]
    raw: list[dict]

    def codes(self, line: int) -> set[str]:
        return self.by_line.get(line, set()) & CIDR_CODES

    def all_codes(self) -> set[str]:
        return set().union(*self.by_line.values()) if self.by_line else set()


def vpcc_verdicts(vpcc: str, path: str) -> VpccVerdicts:
    p = subprocess.run([vpcc, "check", "--message-format", "json", path], capture_output=True, text=True, timeout=120)
    if "panicked" in p.stderr or p.returncode not in (0, 1):
        raise RuntimeError(f"vpcc failed on {path}: exit {p.returncode}\n{p.stderr[:2000]}")
    by_line: dict[int, set[str]] = collections.defaultdict(set)
    overlaps = []
    raw = []
    for line in p.stdout.splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        raw.append(d)
        by_line[d["span"]["line_start"]].add(d["code"])
        if d["code"] == "E0106":
            overlaps.append({lab["span"]["line_start"] for lab in d.get("labels", [])} | {d["span"]["line_start"]})
    if (p.returncode == 1) != any(d["severity"] == "error" for d in raw):
        raise RuntimeError(f"vpcc exit {p.returncode} does not match its diagnostics on {path}")
    return VpccVerdicts(p.returncode, dict(by_line), overlaps, raw)


# ---------------------------------------------------------------------------
# Comparison
# ---------------------------------------------------------------------------


class Tally:
    def __init__(self) -> None:
        self.agree: collections.Counter[str] = collections.Counter()
        self.divergent: collections.Counter[str] = collections.Counter()
        self.unexplained: list[str] = []

    def ok(self, rule: str) -> None:
        self.agree[rule] += 1

    def known(self, key: str) -> None:
        assert key in DIVERGENCES, key
        self.divergent[key] += 1

    def bad(self, plan: Plan, what: str, moto: str, vpcc: set[str] | str) -> None:
        self.unexplained.append(
            f"case {plan.index}: {what}: moto {moto}, vpcc {sorted(vpcc) if isinstance(vpcc, set) else vpcc}\n"
            + "".join(f"    | {l}\n" for l in plan.vpc_text().splitlines())
        )


def compare(plan: Plan, m: MotoVerdicts, v: VpccVerdicts, t: Tally) -> None:
    parse_stage = bool(v.all_codes() & {"E0001", "E0101"})
    vpc_codes = v.codes(plan.vpc_line())
    p = plan.primary

    # The VPC's primary block.
    if m.vpc == "InvalidParameterValue":
        if vpc_codes & {"E0101", "E0001"}:
            t.ok("malformed")
        else:
            t.bad(plan, "malformed VPC CIDR", m.vpc, vpc_codes)
    elif m.vpc == "InvalidVpc.Range" and p.kind == "no-prefix":
        if "E0101" in vpc_codes:
            t.known("vpc-no-prefix")
        else:
            t.bad(plan, "VPC CIDR without prefix", m.vpc, vpc_codes)
    elif m.vpc == "InvalidVpc.Range":
        if "E0103" in vpc_codes:
            t.ok("vpc-range")
        elif parse_stage:
            t.known("parse-stops")
        else:
            t.bad(plan, "VPC size", m.vpc, vpc_codes)
    elif m.vpc == "OK":
        if vpc_codes & {"E0101", "E0001"}:
            t.bad(plan, "VPC CIDR accepted by moto is malformed for vpcc", m.vpc, vpc_codes)
        elif "E0103" in vpc_codes:
            t.bad(plan, "VPC size", m.vpc, vpc_codes)
        elif p.kind == "host-bits":
            if "E0102" in vpc_codes or parse_stage:
                t.known("vpc-host-bits")
            else:
                t.bad(plan, "VPC host bits (documented: E0102)", m.vpc, vpc_codes)
        else:
            t.ok("vpc-range")
    else:
        t.bad(plan, "unexpected moto answer for the VPC", m.vpc, vpc_codes)
    if m.vpc != "OK":
        return  # moto has nothing more to say

    primary = p.net()
    sec_refused = False
    # The secondary block.
    if plan.secondary is not None:
        s = plan.secondary
        codes = v.codes(plan.secondary_line())
        if m.secondary == "InvalidParameterValue":
            if codes & {"E0101", "E0001"}:
                t.ok("malformed")
            else:
                t.bad(plan, "malformed secondary CIDR", m.secondary, codes)
        elif m.secondary == "OK":
            problems = secondary_doc_problems(primary, s)
            sec_refused = bool(problems)
            want = {
                "no-prefix": {"E0101"},
                "host-bits": {"E0102"},
                "size": {"E0103", "E0107"},
                "overlap": {"E0107"},
                "restricted": {"E0107"},
            }
            if not problems:
                if codes:
                    t.bad(plan, "secondary CIDR the documentation allows", m.secondary, codes)
                else:
                    t.ok("secondary")
            elif parse_stage and s.kind != "no-prefix":
                t.known("parse-stops")
            elif "size" in problems and codes & want["size"] and ("host-bits" not in problems or "E0102" in codes):
                # A block refused for its size need not also be compared with
                # the others (as vpcc does not compare a mis-sized subnet).
                t.known("secondary-lenient")
            elif all(codes & want[pr] for pr in problems):
                t.known("secondary-lenient")
            else:
                t.bad(plan, f"secondary CIDR the documentation refuses ({', '.join(problems)})", m.secondary, codes)
        else:
            t.bad(plan, "unexpected moto answer for the secondary", str(m.secondary), codes)

    # Blocks as the documentation sees them, and as moto does.
    doc_blocks = [primary] + ([plan.secondary.net()] if plan.secondary is not None and not sec_refused else [])
    moto_blocks = [primary] + (
        [plan.secondary.net()] if plan.secondary is not None and m.secondary == "OK" and plan.secondary.net() else []
    )

    divergent_subnets: set[int] = set()
    for i, (s, verdict) in enumerate(zip(plan.subnets, m.subnets)):
        line = plan.subnet_line(i)
        codes = v.codes(line)
        net = s.net()
        in_moto = net is not None and any(net.subnet_of(b) for b in moto_blocks if b is not None)
        in_doc = net is not None and any(net.subnet_of(b) for b in doc_blocks if b is not None)
        if verdict == "InvalidParameterValue":
            if codes & {"E0101", "E0001"}:
                t.ok("malformed")
            elif parse_stage:
                t.known("parse-stops")
            else:
                t.bad(plan, f"malformed subnet s{i}", verdict, codes)
            continue
        if s.kind == "no-prefix":
            divergent_subnets.add(i)
            if "E0101" in codes:
                t.known("subnet-no-prefix")
            elif parse_stage:
                t.known("parse-stops")
            else:
                t.bad(plan, f"subnet s{i} without prefix (documented: E0101)", verdict, codes)
            continue
        if parse_stage:
            if codes & {"E0101", "E0001"}:
                t.bad(plan, f"subnet s{i} well formed for moto, malformed for vpcc", verdict, codes)
            else:
                t.known("parse-stops")
            divergent_subnets.add(i)
            continue
        if verdict == "moto-crash":
            divergent_subnets.add(i)
            if "E0104" in codes and net is not None and net.prefixlen > 28:
                t.known("moto-crash")
            else:
                t.bad(plan, f"moto crashed on subnet s{i} (documented for /30-/31: E0104)", verdict, codes)
            continue
        if verdict == "InvalidSubnet.Range":
            if "E0105" in codes:
                t.ok("subnet-range")
            else:
                t.bad(plan, f"subnet s{i} outside the VPC", verdict, codes)
            continue
        if verdict != "OK":
            t.bad(plan, f"unexpected moto answer for subnet s{i}", verdict, codes)
            continue
        if not in_moto:
            t.bad(plan, f"moto accepted subnet s{i} outside its blocks (script bug?)", verdict, codes)
            continue
        if not in_doc:
            divergent_subnets.add(i)
            t.known("depends-on-secondary")
            continue
        if "E0105" in codes:
            t.bad(plan, f"subnet s{i} inside the VPC", verdict, codes)
            continue
        documented = set()
        if not 16 <= net.prefixlen <= 28:
            documented.add("E0104")
        if s.kind == "host-bits":
            documented.add("E0102")
        missing = documented - codes
        extra = codes & {"E0104", "E0102"} - documented
        if missing or extra:
            t.bad(plan, f"subnet s{i} (documented: {sorted(documented) or 'no error'})", verdict, codes)
        elif documented:
            divergent_subnets.add(i)
            for c in sorted(documented):
                t.known("subnet-size" if c == "E0104" else "subnet-host-bits")
        else:
            t.ok("subnet-range")

    if parse_stage:
        return
    # Overlaps. AWS refuses a subnet that overlaps an existing one with one
    # InvalidSubnet.Conflict; vpcc, seeing the whole file, reports each
    # subnet that overlaps an earlier one once (E0106 on it, a label on an
    # earlier subnet it overlaps). So per subnet j: moto says some pair
    # (i, j) with i < j conflicts  <=>  vpcc has an E0106 on j labelling such
    # an i. Pairs whose members vpcc already refuses for a documented reason
    # are left out.
    for (i, j), verdict in sorted(m.pairs.items()):
        if verdict not in ("OK", "InvalidSubnet.Conflict"):
            t.bad(plan, f"unexpected moto answer for pair s{i}, s{j}", verdict, set())
    accepted = sorted({k for pair in m.pairs for k in pair} | {k for k, v in enumerate(m.subnets) if v == "OK"})
    for j in accepted:
        if j in divergent_subnets:
            continue
        earlier = [i for i in accepted if i < j and i not in divergent_subnets]
        conflicts = {i for i in earlier if m.pairs.get((i, j)) == "InvalidSubnet.Conflict"}
        lj = plan.subnet_line(j)
        labelled = set()
        for d in v.raw:
            if d["code"] == "E0106" and d["span"]["line_start"] == lj:
                for lab in d.get("labels", []):
                    labelled |= {i for i in earlier if plan.subnet_line(i) == lab["span"]["line_start"]}
        dependent = any(m.pairs.get((i, j)) == "InvalidSubnet.Conflict" for i in accepted if i < j and i in divergent_subnets)
        if conflicts:
            if labelled & conflicts:
                t.ok("subnet-conflict")
            elif not labelled and dependent:
                t.known("depends-on-divergent-subnet")
            else:
                names = ", ".join(f"s{i}" for i in sorted(conflicts))
                t.bad(plan, f"subnet s{j} overlaps earlier {names}", "InvalidSubnet.Conflict", "E0106 labels " + str(sorted(labelled)))
        elif labelled:
            t.bad(plan, f"subnet s{j} overlaps no earlier subnet", "OK", "E0106 labels " + str(sorted(labelled)))
        elif dependent and any(d["code"] == "E0106" and d["span"]["line_start"] == lj for d in v.raw):
            t.known("depends-on-divergent-subnet")
        else:
            t.ok("subnet-conflict")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--vpcc", required=True, help="path to the vpcc binary")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cases", type=int, default=300)
    ap.add_argument("--keep", help="write the .vpc files here instead of a temporary directory")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    t = Tally()
    workdir = args.keep or tempfile.mkdtemp(prefix="moto-diff-")
    os.makedirs(workdir, exist_ok=True)
    # Run a private copy: a target directory shared with other builds may
    # swap the binary under a long run.
    vpcc = os.path.join(workdir, "vpcc")
    shutil.copy2(args.vpcc, vpcc)
    mock = mock_aws()
    mock.start()
    ec2 = boto3.client("ec2", region_name=REGION)
    for index in range(args.cases):
        plan = make_plan(rng, index)
        path = os.path.join(workdir, f"case-{index:04}.vpc")
        with open(path, "w") as f:
            f.write(plan.vpc_text())
        m = moto_verdicts(ec2, plan)
        v = vpcc_verdicts(vpcc, path)
        before = len(t.unexplained)
        compare(plan, m, v, t)
        if args.verbose:
            status = "FAIL" if len(t.unexplained) > before else "ok"
            print(f"case {index}: {status} moto={m.vpc}/{m.secondary}/{m.subnets}/{m.pairs} vpcc={sorted(v.all_codes())}")

    mock.stop()
    print(f"moto_diff: seed {args.seed}, {args.cases} cases, files in {workdir}")
    print("agreements (moto and vpcc give the same verdict):")
    for rule, n in sorted(t.agree.items()):
        print(f"  {rule:28} {n}")
    print("documented divergences (vpcc follows the AWS documentation):")
    for key, n in sorted(t.divergent.items()):
        print(f"  {key:28} {n}  -- {DIVERGENCES[key]}")
    if t.unexplained:
        print(f"UNEXPLAINED disagreements: {len(t.unexplained)} (first 25)")
        for u in t.unexplained[:25]:
            print("  " + u)
        by_kind = collections.Counter(u.split(": ")[1] for u in t.unexplained)
        print("unexplained by kind:")
        for k, n in by_kind.most_common():
            print(f"  {n:5}  {k}")
        print(f"{sum(t.agree.values())} agreed, {len(t.unexplained)} failed, {sum(t.divergent.values())} documented divergences")
        return 1
    print(f"{sum(t.agree.values())} agreed, 0 failed, {sum(t.divergent.values())} documented divergences")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The "Application Load Balancers as targets" topology, built with boto3 against lbnet's AWS API.

A VPC with two subnets in two zones, a security group each for the ALB and the instances, two
instances (lbnet's target server), an internal ALB forwarding HTTP:80 to them, a target group of
type `alb` holding the ALB, and an internet-facing NLB with an Elastic IP per zone whose TCP:80
listener forwards to it. It waits as a boto3 user would (instance_running,
load_balancer_available, target_in_service) and prints the NLB's Elastic IPs, one per line.
`--delete` removes all of it again, found by name.

    eval "$(sudo lbnet credentials)"
    AWS_ENDPOINT_URL=http://127.0.0.1:4566 AWS_DEFAULT_REGION=us-east-1 python3 guide.py
    sudo lbnet exec internet curl http://<Elastic IP>/
"""
import argparse

import boto3

VPC_NAME = "boto3-guide"
QUICK_HEALTH = {"HealthCheckIntervalSeconds": 5, "HealthCheckTimeoutSeconds": 2,
                "HealthyThresholdCount": 2, "UnhealthyThresholdCount": 2}
FAST_WAIT = {"Delay": 2, "MaxAttempts": 60}


def named(resource_type, name):
    return [{"ResourceType": resource_type, "Tags": [{"Key": "Name", "Value": name}]}]


def build(ec2, elb):
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16", TagSpecifications=named("vpc", VPC_NAME))["Vpc"]["VpcId"]
    zones = [zone["ZoneName"] for zone in ec2.describe_availability_zones()["AvailabilityZones"]][:2]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{index + 1}.0/24", AvailabilityZone=zone)["Subnet"]["SubnetId"]
               for index, zone in enumerate(zones)]

    # The ALB takes HTTP from the clients (the NLB preserves their addresses for its alb targets);
    # the instances take 8080 from the ALB's group.
    alb_group = ec2.create_security_group(GroupName="web-alb-sg", Description="HTTP from the clients", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=alb_group, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    web_group = ec2.create_security_group(GroupName="web-sg", Description="8080 from the ALB", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=web_group, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "UserIdGroupPairs": [{"GroupId": alb_group}]}])

    instances = [ec2.run_instances(ImageId="ami-12345678", InstanceType="t3.micro", MinCount=1, MaxCount=1,
                                   SubnetId=subnet, SecurityGroupIds=[web_group],
                                   TagSpecifications=named("instance", f"web-{index}"))["Instances"][0]["InstanceId"]
                 for index, subnet in enumerate(subnets)]
    ec2.get_waiter("instance_running").wait(InstanceIds=instances, WaiterConfig=FAST_WAIT)

    alb = elb.create_load_balancer(Name="web-alb", Type="application", Scheme="internal", Subnets=subnets,
                                   SecurityGroups=[alb_group])["LoadBalancers"][0]["LoadBalancerArn"]
    instance_group = elb.create_target_group(Name="web-instances", Protocol="HTTP", Port=8080, VpcId=vpc,
                                             HealthCheckPath="/health", **QUICK_HEALTH)["TargetGroups"][0]["TargetGroupArn"]
    elb.register_targets(TargetGroupArn=instance_group, Targets=[{"Id": instance} for instance in instances])
    elb.create_listener(LoadBalancerArn=alb, Protocol="HTTP", Port=80,
                        DefaultActions=[{"Type": "forward", "TargetGroupArn": instance_group}])

    alb_target = elb.create_target_group(Name="web-alb-target", TargetType="alb", Protocol="TCP", Port=80, VpcId=vpc,
                                         **QUICK_HEALTH)["TargetGroups"][0]["TargetGroupArn"]
    elb.register_targets(TargetGroupArn=alb_target, Targets=[{"Id": alb, "Port": 80}])

    allocations = [ec2.allocate_address(Domain="vpc", TagSpecifications=named("elastic-ip", VPC_NAME))["AllocationId"]
                   for _ in subnets]
    nlb = elb.create_load_balancer(Name="web-nlb", Type="network", Scheme="internet-facing",
                                   SubnetMappings=[{"SubnetId": subnet, "AllocationId": allocation}
                                                   for subnet, allocation in zip(subnets, allocations)])["LoadBalancers"][0]
    elb.create_listener(LoadBalancerArn=nlb["LoadBalancerArn"], Protocol="TCP", Port=80,
                        DefaultActions=[{"Type": "forward", "TargetGroupArn": alb_target}])

    elb.get_waiter("load_balancer_available").wait(LoadBalancerArns=[alb, nlb["LoadBalancerArn"]], WaiterConfig=FAST_WAIT)
    elb.get_waiter("target_in_service").wait(TargetGroupArn=instance_group, WaiterConfig=FAST_WAIT)
    elb.get_waiter("target_in_service").wait(TargetGroupArn=alb_target, WaiterConfig=FAST_WAIT)
    for zone in nlb["AvailabilityZones"]:
        for address in zone["LoadBalancerAddresses"]:
            print(address["IpAddress"])


def delete(ec2, elb):
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [VPC_NAME]}])["Vpcs"]
    balancers = {balancer["LoadBalancerName"]: balancer["LoadBalancerArn"]
                 for balancer in elb.describe_load_balancers()["LoadBalancers"]}
    groups = {group["TargetGroupName"]: group["TargetGroupArn"] for group in elb.describe_target_groups()["TargetGroups"]}
    # The NLB first, then the ALB out of its target group (a registered ALB cannot be deleted), then the ALB.
    for name in ["web-nlb", "web-alb"]:
        if name == "web-alb" and "web-alb-target" in groups:
            elb.delete_target_group(TargetGroupArn=groups.pop("web-alb-target"))
        if name in balancers:
            elb.delete_load_balancer(LoadBalancerArn=balancers[name])
            elb.get_waiter("load_balancers_deleted").wait(LoadBalancerArns=[balancers[name]], WaiterConfig=FAST_WAIT)
    for name in ["web-instances", "web-alb-target"]:
        if name in groups:
            elb.delete_target_group(TargetGroupArn=groups[name])
    for address in ec2.describe_addresses(Filters=[{"Name": "tag:Name", "Values": [VPC_NAME]}])["Addresses"]:
        ec2.release_address(AllocationId=address["AllocationId"])
    for vpc in vpcs:
        in_vpc = [{"Name": "vpc-id", "Values": [vpc["VpcId"]]}]
        instances = [instance["InstanceId"]
                     for reservation in ec2.describe_instances(Filters=in_vpc)["Reservations"]
                     for instance in reservation["Instances"] if instance["State"]["Name"] != "terminated"]
        if instances:
            ec2.terminate_instances(InstanceIds=instances)
            ec2.get_waiter("instance_terminated").wait(InstanceIds=instances, WaiterConfig=FAST_WAIT)
        # web-sg refers to web-alb-sg, so it goes first.
        groups = sorted(ec2.describe_security_groups(Filters=in_vpc)["SecurityGroups"], key=lambda g: g["GroupName"] != "web-sg")
        for group in groups:
            if group["GroupName"] != "default":
                ec2.delete_security_group(GroupId=group["GroupId"])
        for subnet in ec2.describe_subnets(Filters=in_vpc)["Subnets"]:
            ec2.delete_subnet(SubnetId=subnet["SubnetId"])
        ec2.delete_vpc(VpcId=vpc["VpcId"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delete", action="store_true", help="remove what the script built")
    arguments = parser.parse_args()
    ec2, elb = boto3.client("ec2"), boto3.client("elbv2")
    (delete if arguments.delete else build)(ec2, elb)


if __name__ == "__main__":
    main()

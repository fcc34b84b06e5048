# The topology of AWS's "Application Load Balancers as targets" guide, built by terraform on
# lbnet's kernel datapath: an internet-facing NLB with an Elastic IP per zone, whose `alb` target
# group holds an internal ALB that routes to two instances (one runs lbnet's target server, one
# runs its user data as an unprivileged user), and the NLB offered to a second VPC as an
# endpoint service with an interface endpoint.
#
#   sudo lbnet daemon &            # or: sudo lbnet up -f empty.yaml
#   eval "$(sudo lbnet credentials)"
#   terraform init && terraform apply
#   sudo lbnet exec internet -- curl -s http://$(terraform output -json nlb_ips | jq -r '.[0]')/
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

# lbnet's AWS API endpoint: `lbnet status` prints it (default http://127.0.0.1:4566).
variable "endpoint" {
  type    = string
  default = "http://127.0.0.1:4566"
}

# Credentials: eval "$(sudo lbnet credentials)" exports this state directory's key.
provider "aws" {
  region                      = "us-east-1"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true
  # Every resource gets these tags; lbnet stores them (STATE_DIR/api-tags.json) and answers them.
  default_tags {
    tags = {
      project = "lbnet-guide"
      managed = "terraform"
    }
  }
  endpoints {
    ec2   = var.endpoint
    elbv2 = var.endpoint
    sts   = var.endpoint
  }
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
  tags       = { Name = "guide-main" }
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.2.0/24"
  availability_zone = "us-east-1b"
}

# The ALB takes HTTP from the clients (the NLB preserves their addresses for its alb targets);
# the instances take 8080 from the ALB's group only. Enforced in each interface's namespace, as
# on AWS.
resource "aws_security_group" "alb" {
  name        = "web-alb-sg"
  description = "HTTP from the clients"
  vpc_id      = aws_vpc.main.id
  ingress {
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "web" {
  name        = "web-sg"
  description = "8080 from the ALB"
  vpc_id      = aws_vpc.main.id
  ingress {
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = [aws_security_group.alb.id]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_eip" "a" { domain = "vpc" }
resource "aws_eip" "b" { domain = "vpc" }

resource "aws_instance" "web_a" {
  ami           = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.a.id
  vpc_security_group_ids = [aws_security_group.web.id]
  tags                   = { Name = "web-a", role = "target-server" }
}

resource "aws_instance" "web_b" {
  ami           = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.b.id
  vpc_security_group_ids = [aws_security_group.web.id]
  user_data     = <<-SH
    #!/bin/sh
    exec python3 -m http.server 8080
  SH
}

resource "aws_lb" "alb" {
  name               = "web-alb"
  internal           = true
  load_balancer_type = "application"
  subnets            = [aws_subnet.a.id, aws_subnet.b.id]
  security_groups    = [aws_security_group.alb.id]
  tags               = { tier = "internal" }
}

resource "aws_lb_target_group" "web" {
  name     = "web-instances"
  port     = 8080
  protocol = "HTTP"
  vpc_id   = aws_vpc.main.id
  health_check {
    path                = "/"
    interval            = 5
    timeout             = 2
    healthy_threshold   = 2
    unhealthy_threshold = 2
  }
}

resource "aws_lb_target_group_attachment" "web_a" {
  target_group_arn = aws_lb_target_group.web.arn
  target_id        = aws_instance.web_a.id
}

resource "aws_lb_target_group_attachment" "web_b" {
  target_group_arn = aws_lb_target_group.web.arn
  target_id        = aws_instance.web_b.id
}

resource "aws_lb_listener" "alb_http" {
  load_balancer_arn = aws_lb.alb.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}

resource "aws_lb_listener_rule" "health" {
  listener_arn = aws_lb_listener.alb_http.arn
  priority     = 10
  action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      message_body = "ok"
      status_code  = "200"
    }
  }
  condition {
    path_pattern { values = ["/lb-health"] }
  }
  tags = { purpose = "health" }
}

resource "aws_lb_target_group" "alb" {
  name        = "web-alb-target"
  target_type = "alb"
  port        = 80
  protocol    = "TCP"
  vpc_id      = aws_vpc.main.id
  health_check {
    interval            = 5
    timeout             = 2
    healthy_threshold   = 2
    unhealthy_threshold = 2
  }
}

resource "aws_lb_target_group_attachment" "alb" {
  target_group_arn = aws_lb_target_group.alb.arn
  target_id        = aws_lb.alb.arn
  port             = 80
  depends_on       = [aws_lb_listener.alb_http]
}

resource "aws_lb" "nlb" {
  name               = "web-nlb"
  load_balancer_type = "network"
  subnet_mapping {
    subnet_id     = aws_subnet.a.id
    allocation_id = aws_eip.a.id
  }
  subnet_mapping {
    subnet_id     = aws_subnet.b.id
    allocation_id = aws_eip.b.id
  }
}

resource "aws_lb_listener" "nlb_tcp" {
  load_balancer_arn = aws_lb.nlb.arn
  port              = 80
  protocol          = "TCP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.alb.arn
  }
}

resource "aws_vpc_endpoint_service" "web" {
  acceptance_required        = false
  network_load_balancer_arns = [aws_lb.nlb.arn]
}

resource "aws_vpc" "consumer" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "consumer_a" {
  vpc_id            = aws_vpc.consumer.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_vpc_endpoint" "web" {
  vpc_id            = aws_vpc.consumer.id
  service_name      = aws_vpc_endpoint_service.web.service_name
  vpc_endpoint_type = "Interface"
  subnet_ids        = [aws_subnet.consumer_a.id]
}

output "nlb_ips" { value = [aws_eip.a.public_ip, aws_eip.b.public_ip] }
output "endpoint_dns" { value = aws_vpc_endpoint.web.dns_entry }

// Builders for EC2: DescribeInstances (read), AuthorizeSecurityGroupIngress (rule
// descriptions carry pre-escaped \u00e9, \u2014 and a surrogate pair), RunInstances (a large
// nested response with numbers), and Client.UnauthorizedOperation failures.

enum EC2Events {
  static func unauthorized(_ c: EventContext, _ action: String, _ resource: String?, _ rng: inout SplitMix64) -> String
  {
    let on = resource.map { " on resource: \($0)" } ?? ""
    return
      "You are not authorized to perform this operation. User: \(c.caller.displayArn) is not authorized to perform: \(action)\(on) because no identity-based policy allows the \(action) action. Encoded authorization failure message: \(rng.string(rng.int(300...500), from: Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)))"
  }

  static func describeInstances(_ c: inout EventContext) -> EventBody {
    let filter = c.rng.chance(0.4) ? c.rng.pick(["web-*", "etl-worker", "bastion"]) : nil
    let failed = c.failed
    let message = failed ? unauthorized(c, "ec2:DescribeInstances", nil, &c.rng) : nil
    return EventBody(
      source: "ec2.amazonaws.com", name: "DescribeInstances", readOnly: true,
      errorCode: failed ? "Client.UnauthorizedOperation" : nil, errorMessage: message,
      request: { w in
        w.object("instancesSet") { _ in }
        w.object("filterSet") { w in
          if let filter {
            w.array("items") { w in
              w.object { w in
                w.field("name", "tag:Name")
                w.object("valueSet") { w in
                  w.array("items") { w in w.object { w in w.field("value", filter) } }
                }
              }
            }
          }
        }
      },
      response: nil, requestID: c.rng.uuid(), host: "ec2.\(c.region).amazonaws.com")
  }

  /// Rule descriptions as they appear in the JSON text (already escaped).
  static let descriptions = [
    #"Caf\u00e9 office \"VPN\" \u2014 temporary"#,
    #"ops\\bastion \ud83d\ude80 launch"#,
    "office 東京 (Tokyo)",
    "allow https from partners",
  ]

  static func authorizeSecurityGroupIngress(_ c: inout EventContext) -> EventBody {
    let group = "sg-0" + c.rng.hex(16)
    let port = c.rng.pick([22, 3389, 443, 5432])
    let cidr = c.rng.pick(["0.0.0.0/0", "203.0.113.0/24", "198.51.100.7/32"])
    let description = descriptions[c.choose(descriptions.count)]
    let rule = "sgr-0" + c.rng.hex(16)
    let requestID = c.rng.uuid()
    let acct = c.account.id
    let failed = c.failed
    let message =
      failed
      ? unauthorized(
        c, "ec2:AuthorizeSecurityGroupIngress", "arn:aws:ec2:\(c.region):\(acct):security-group/\(group)", &c.rng)
      : nil
    return EventBody(
      source: "ec2.amazonaws.com", name: "AuthorizeSecurityGroupIngress", readOnly: false,
      errorCode: failed ? "Client.UnauthorizedOperation" : nil, errorMessage: message,
      request: { w in
        w.field("groupId", group)
        w.object("ipPermissions") { w in
          w.array("items") { w in
            w.object { w in
              w.field("ipProtocol", "tcp")
              w.field("fromPort", port)
              w.field("toPort", port)
              w.object("groups") { _ in }
              w.object("ipRanges") { w in
                w.array("items") { w in
                  w.object { w in
                    w.field("cidrIp", cidr)
                    w.key("description")
                    w.escapedString(description)
                  }
                }
              }
              w.object("ipv6Ranges") { _ in }
              w.object("prefixListIds") { _ in }
            }
          }
        }
      },
      response: failed
        ? nil
        : { w in
          w.field("requestId", requestID)
          w.field("_return", true)
          w.object("securityGroupRuleSet") { w in
            w.array("items") { w in
              w.object { w in
                w.field("groupOwnerId", acct)
                w.field("groupId", group)
                w.field("securityGroupRuleId", rule)
                w.field("isEgress", false)
                w.field("ipProtocol", "tcp")
                w.field("fromPort", port)
                w.field("toPort", port)
                w.field("cidrIpv4", cidr)
                w.key("description")
                w.escapedString(description)
              }
            }
          }
        },
      requestID: requestID, host: "ec2.\(c.region).amazonaws.com")
  }

  static func runInstances(_ c: inout EventContext) -> EventBody {
    let acct = c.account.id
    let region = c.region
    let image = "ami-0" + c.rng.hex(16)
    let type = c.rng.pick(["t3.micro", "m6i.large", "c7g.xlarge", "p4d.24xlarge"])
    let name = "web-\(c.rng.int(1...40))"
    let token = c.rng.uuid()
    let requestID = c.rng.uuid()
    let reservation = "r-0" + c.rng.hex(16)
    let instance = "i-0" + c.rng.hex(16)
    let subnet = "subnet-0" + c.rng.hex(16)
    let vpc = "vpc-0" + c.rng.hex(16)
    let eni = "eni-0" + c.rng.hex(16)
    let group = "sg-0" + c.rng.hex(16)
    let ip = "10.0.\(c.rng.int(0...15)).\(c.rng.int(4...250))"
    let dns =
      "ip-\(ip.split(separator: ".").joined(separator: "-")).\(region == "us-east-1" ? "ec2.internal" : "\(region).compute.internal")"
    let zone = region + c.rng.pick(["a", "b", "c"])
    let launch = c.time.seconds * 1000
    let failed = c.failed
    let message = failed ? unauthorized(c, "ec2:RunInstances", "arn:aws:ec2:\(region):\(acct):instance/*", &c.rng) : nil
    return EventBody(
      source: "ec2.amazonaws.com", name: "RunInstances", readOnly: false,
      errorCode: failed ? "Client.UnauthorizedOperation" : nil, errorMessage: message,
      request: { w in
        w.object("instancesSet") { w in
          w.array("items") { w in
            w.object { w in
              w.field("imageId", image)
              w.field("minCount", 1)
              w.field("maxCount", 1)
            }
          }
        }
        w.field("instanceType", type)
        w.object("blockDeviceMapping") { _ in }
        w.object("monitoring") { w in w.field("enabled", false) }
        w.field("disableApiTermination", false)
        w.field("disableApiStop", false)
        w.field("clientToken", token)
        w.object("tagSpecificationSet") { w in
          w.array("items") { w in
            w.object { w in
              w.field("resourceType", "instance")
              w.array("tags") { w in
                w.object { w in
                  w.field("key", "Name")
                  w.field("value", name)
                }
              }
            }
          }
        }
      },
      response: failed
        ? nil
        : { w in
          w.field("requestId", requestID)
          w.field("reservationId", reservation)
          w.field("ownerId", acct)
          w.object("groupSet") { _ in }
          w.object("instancesSet") { w in
            w.array("items") { w in
              w.object { w in
                w.field("instanceId", instance)
                w.field("imageId", image)
                w.field("currentInstanceBootMode", "legacy-bios")
                w.object("instanceState") { w in
                  w.field("code", 0)
                  w.field("name", "pending")
                }
                w.field("privateDnsName", dns)
                w.field("amiLaunchIndex", 0)
                w.object("productCodes") { _ in }
                w.field("instanceType", type)
                w.key("launchTime")
                w.int(launch)
                w.object("placement") { w in
                  w.field("availabilityZone", zone)
                  w.field("tenancy", "default")
                }
                w.object("monitoring") { w in w.field("state", "disabled") }
                w.field("subnetId", subnet)
                w.field("vpcId", vpc)
                w.field("privateIpAddress", ip)
                w.object("stateReason") { w in
                  w.field("code", "pending")
                  w.field("message", "pending")
                }
                w.field("architecture", "x86_64")
                w.field("rootDeviceType", "ebs")
                w.field("rootDeviceName", "/dev/xvda")
                w.object("blockDeviceMapping") { _ in }
                w.field("virtualizationType", "hvm")
                w.field("hypervisor", "xen")
                w.object("tagSet") { w in
                  w.array("items") { w in
                    w.object { w in
                      w.field("key", "Name")
                      w.field("value", name)
                    }
                  }
                }
                w.object("groupSet") { w in
                  w.array("items") { w in
                    w.object { w in
                      w.field("groupId", group)
                      w.field("groupName", "default")
                    }
                  }
                }
                w.field("sourceDestCheck", true)
                w.object("networkInterfaceSet") { w in
                  w.array("items") { w in
                    w.object { w in
                      w.field("networkInterfaceId", eni)
                      w.field("subnetId", subnet)
                      w.field("vpcId", vpc)
                      w.field("ownerId", acct)
                      w.field("status", "in-use")
                      w.field("macAddress", "0a:1b:2c:3d:4e:5f")
                      w.field("privateIpAddress", ip)
                      w.field("privateDnsName", dns)
                      w.field("sourceDestCheck", true)
                      w.field("interfaceType", "interface")
                    }
                  }
                }
                w.field("ebsOptimized", false)
                w.field("enaSupport", true)
                w.object("cpuOptions") { w in
                  w.field("coreCount", 1)
                  w.field("threadsPerCore", 2)
                }
                w.object("capacityReservationSpecification") { w in w.field("capacityReservationPreference", "open") }
                w.object("enclaveOptions") { w in w.field("enabled", false) }
                w.object("metadataOptions") { w in
                  w.field("state", "pending")
                  w.field("httpTokens", "required")
                  w.field("httpPutResponseHopLimit", 2)
                  w.field("httpEndpoint", "enabled")
                  w.field("httpProtocolIpv6", "disabled")
                  w.field("instanceMetadataTags", "disabled")
                }
                w.object("maintenanceOptions") { w in w.field("autoRecovery", "default") }
                w.object("privateDnsNameOptions") { w in
                  w.field("hostnameType", "ip-name")
                  w.field("enableResourceNameDnsARecord", false)
                  w.field("enableResourceNameDnsAAAARecord", false)
                }
              }
            }
          }
          w.field("requesterId", "226008221399")
        },
      requestID: requestID, host: "ec2.\(region).amazonaws.com")
  }
}

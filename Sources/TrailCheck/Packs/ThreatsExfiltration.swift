// The `threats` pack's exfiltration rules (Sigma, one document per rule): each names the ATT&CK
// technique in its tags and the Stratus Red Team technique it detects in its references, with
// false positives and a remediation (docs/detections.md, "The threats pack").

extension RulePacks {
  /// The exfiltration rules of the `threats` pack.
  static let threatsExfiltration = #"""
    title: EBS snapshot shared with another account
    id: 6bc30239-f9a4-5bbc-a8cd-fce674ddc6be
    name: threats.exfiltration.ebs-snapshot-shared
    status: stable
    description: A snapshot's createVolumePermission was extended to another account, which can then copy the disk.
    references:
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.exfiltration.ec2-share-ebs-snapshot/
      - https://attack.mitre.org/techniques/T1537/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.exfiltration
      - attack.t1537
    logsource:
      product: aws
      service: cloudtrail
    detection:
      selection:
        eventSource: ec2.amazonaws.com
        eventName: ModifySnapshotAttribute
        requestParameters.createVolumePermission.add|exists: true
      condition: selection
    falsepositives:
      - Sharing with your own backup account
    level: high
    remediation: Remove the permission; check whether the other account copied the snapshot.
    ---
    title: AMI shared with another account
    id: 87be62ce-a65b-5f72-8767-5e310b39a412
    name: threats.exfiltration.ami-shared
    status: stable
    description: An image's launch permission was extended to another account.
    references:
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.exfiltration.ec2-share-ami/
      - https://attack.mitre.org/techniques/T1537/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.exfiltration
      - attack.t1537
    logsource:
      product: aws
      service: cloudtrail
    detection:
      selection:
        eventSource: ec2.amazonaws.com
        eventName: ModifyImageAttribute
        requestParameters.launchPermission.add|exists: true
      condition: selection
    falsepositives:
      - Publishing images to your own accounts
    level: high
    remediation: Remove the launch permission; check for copies.
    ---
    title: RDS snapshot shared with another account
    id: fa91fb0d-029b-5cd8-b79d-726660742afd
    name: threats.exfiltration.rds-snapshot-shared
    status: stable
    description: A DB snapshot's restore attribute was extended to another account.
    references:
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.exfiltration.rds-share-snapshot/
      - https://attack.mitre.org/techniques/T1537/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.exfiltration
      - attack.t1537
    logsource:
      product: aws
      service: cloudtrail
    detection:
      selection:
        eventSource: rds.amazonaws.com
        eventName:
          - ModifyDBSnapshotAttribute
          - ModifyDBClusterSnapshotAttribute
        requestParameters.attributeName: restore
      none_added:
        requestParameters.valuesToAdd: null
      condition: selection and not none_added
    falsepositives:
      - Sharing with your own accounts
    level: high
    remediation: Remove the account from the snapshot attribute.
    ---
    title: Security group opened to the whole internet
    id: bcb42413-b074-517e-9941-d95ed41233fa
    name: threats.exfiltration.security-group-open-to-world
    status: stable
    description: An ingress rule with a /0 source was added to a security group.
    references:
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.exfiltration.ec2-security-group-open-port-22-ingress/
      - https://attack.mitre.org/techniques/T1562/007/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.exfiltration
      - attack.defense-evasion
      - attack.t1562.007
    logsource:
      product: aws
      service: cloudtrail
    detection:
      selection:
        eventSource: ec2.amazonaws.com
        eventName: AuthorizeSecurityGroupIngress
      world:
        - requestParameters.cidrIp|endswith: '/0'
        - requestParameters.cidrIpv6|endswith: '/0'
        - requestParameters.ipPermissions.items.ipRanges.items.cidrIp|endswith: '/0'
        - requestParameters.ipPermissions.items.ipv6Ranges.items.cidrIpv6|endswith: '/0'
      condition: selection and world
    falsepositives:
      - Public web front ends (ports 80 and 443)
    level: high
    remediation: Narrow the rule to known addresses; close SSH and RDP to the internet.
    """#
}

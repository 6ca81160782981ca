// The `threats` pack's defense evasion rules (Sigma, one document per rule): each names the ATT&CK
// technique in its tags and the Stratus Red Team technique it detects in its references, with
// false positives and a remediation (docs/detections.md, "The threats pack").

extension RulePacks {
  /// The defense evasion rules of the `threats` pack.
  static let threatsDefenseEvasion = #"""
    title: CloudTrail trail stopped or deleted
    id: cd260ef3-71e7-53cb-aa16-880a06e04c95
    name: threats.defense-evasion.cloudtrail-stop-delete
    status: stable
    description: A trail stopped logging or was deleted; everything after it goes unrecorded. Attackers do this first.
    references:
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.defense-evasion.cloudtrail-stop/
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.defense-evasion.cloudtrail-delete/
      - https://attack.mitre.org/techniques/T1562/008/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.defense-evasion
      - attack.t1562.008
    logsource:
      product: aws
      service: cloudtrail
    detection:
      selection:
        eventSource: cloudtrail.amazonaws.com
        eventName:
          - StopLogging
          - DeleteTrail
      condition: selection
    falsepositives:
      - Decommissioning a trail in a planned change
    level: high
    remediation: Start logging again (StartLogging) or recreate the trail, find who did it with trail-scan trace, and deny cloudtrail:StopLogging/DeleteTrail with an SCP.
    ---
    title: CloudTrail event selectors narrowed
    id: c740d23d-04b7-5d8c-8187-505ae803e9a6
    name: threats.defense-evasion.cloudtrail-event-selectors
    status: stable
    description: A trail's event or insight selectors were changed, which can silently stop recording management or data events.
    references:
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.defense-evasion.cloudtrail-event-selectors/
      - https://attack.mitre.org/techniques/T1562/008/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.defense-evasion
      - attack.t1562.008
    logsource:
      product: aws
      service: cloudtrail
    detection:
      selection:
        eventSource: cloudtrail.amazonaws.com
        eventName:
          - PutEventSelectors
          - PutInsightSelectors
      condition: selection
    falsepositives:
      - Cost tuning of data-event logging by the platform team
    level: medium
    remediation: Compare the new selectors with the baseline and restore management events (ReadWriteType All) if they were dropped.
    ---
    title: GuardDuty or AWS Config disabled
    id: 2f7e43f0-4a65-5c53-8d5f-59d976b8a4a1
    name: threats.defense-evasion.detection-services-disabled
    status: stable
    description: A GuardDuty detector was deleted or suspended, or AWS Config recording or delivery was stopped or deleted.
    references:
      - https://attack.mitre.org/techniques/T1562/001/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.defense-evasion
      - attack.t1562.001
    logsource:
      product: aws
      service: cloudtrail
    detection:
      guardduty:
        eventSource: guardduty.amazonaws.com
        eventName:
          - DeleteDetector
          - DisassociateFromMasterAccount
          - DisassociateFromAdministratorAccount
          - StopMonitoringMembers
      guardduty_suspended:
        eventSource: guardduty.amazonaws.com
        eventName: UpdateDetector
        requestParameters.enable: false
      config:
        eventSource: config.amazonaws.com
        eventName:
          - StopConfigurationRecorder
          - DeleteConfigurationRecorder
          - DeleteDeliveryChannel
      condition: 1 of them
    falsepositives:
      - Account decommissioning
    level: high
    remediation: Re-enable the detector or recorder, and protect them with an SCP.
    ---
    title: VPC flow logs deleted
    id: edd1e3fe-a0a0-5c25-9367-b90af91f0cc1
    name: threats.defense-evasion.vpc-flow-logs-deleted
    status: stable
    description: Flow logs were deleted, removing the network record of a VPC.
    references:
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.defense-evasion.vpc-remove-flow-logs/
      - https://attack.mitre.org/techniques/T1562/008/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.defense-evasion
      - attack.t1562.008
    logsource:
      product: aws
      service: cloudtrail
    detection:
      selection:
        eventSource: ec2.amazonaws.com
        eventName: DeleteFlowLogs
      condition: selection
    falsepositives:
      - Flow logs replaced by a new configuration
    level: medium
    remediation: Recreate the flow logs and check who deleted them.
    ---
    title: DNS query logging removed
    id: b7e8257a-536c-592b-ad3e-65ec1190b1c4
    name: threats.defense-evasion.dns-query-logs-deleted
    status: stable
    description: A Route 53 Resolver query logging configuration was deleted or detached.
    references:
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.defense-evasion.dns-delete-logs/
      - https://attack.mitre.org/techniques/T1562/008/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.defense-evasion
      - attack.t1562.008
    logsource:
      product: aws
      service: cloudtrail
    detection:
      selection:
        eventSource: route53resolver.amazonaws.com
        eventName:
          - DeleteResolverQueryLogConfig
          - DisassociateResolverQueryLogConfig
      condition: selection
    falsepositives:
      - Logging moved to a new configuration
    level: medium
    remediation: Re-associate query logging with the VPCs.
    ---
    title: Account leaving its organization
    id: 65417cd9-7148-5004-a87d-cd28d8773a1e
    name: threats.defense-evasion.organizations-leave
    status: stable
    description: An account tried to leave its AWS Organization, escaping its SCPs and central logging; the attempt matters even when it fails.
    references:
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.defense-evasion.organizations-leave/
      - https://attack.mitre.org/techniques/T1562/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.defense-evasion
      - attack.t1562
    logsource:
      product: aws
      service: cloudtrail
    detection:
      selection:
        eventSource: organizations.amazonaws.com
        eventName: LeaveOrganization
      condition: selection
    falsepositives:
      - A planned account move between organizations
    level: high
    remediation: Deny organizations:LeaveOrganization with an SCP; investigate the caller.
    """#
}

// The `threats` pack's discovery impact rules (Sigma, one document per rule): each names the ATT&CK
// technique in its tags and the Stratus Red Team technique it detects in its references, with
// false positives and a remediation (docs/detections.md, "The threats pack").

extension RulePacks {
  /// The discovery impact rules of the `threats` pack.
  static let threatsDiscoveryImpact = #"""
    title: Instance user data downloaded
    id: 3c617e46-4ed5-5a6b-a6e9-a3af6eb91339
    name: threats.discovery.ec2-user-data-download
    status: stable
    description: Instance user data often holds secrets; reading it (DescribeInstanceAttribute userData) is reconnaissance, and attempts count even when denied.
    references:
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.discovery.ec2-download-user-data/
      - https://attack.mitre.org/techniques/T1580/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.discovery
      - attack.t1580
    logsource:
      product: aws
      service: cloudtrail
    detection:
      selection:
        eventSource: ec2.amazonaws.com
        eventName: DescribeInstanceAttribute
        requestParameters.attribute: userData
      condition: selection
    falsepositives:
      - Inventory tools reading user data
    level: low
    remediation: Keep secrets out of user data; check the caller.
    ---
    title: Discovery calls of one identity
    id: 7bd86b29-3c3c-5bff-8777-831539e3f030
    name: threats.discovery.list-describe-call
    status: stable
    description: A List, Describe or Get call (counted per identity by the burst rule below).
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.discovery
      - attack.t1580
    logsource:
      product: aws
      service: cloudtrail
    detection:
      selection:
        eventName|startswith:
          - List
          - Describe
          - GetBucket
      condition: selection
    falsepositives:
      - Every console page and inventory tool
    level: informational
    ---
    title: Discovery burst
    id: 25a44943-e711-5ae1-9312-493cb2050374
    name: threats.discovery.burst
    status: stable
    description: One identity made more than 100 List/Describe calls within 5 minutes.
    references:
      - https://attack.mitre.org/techniques/T1580/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.discovery
      - attack.t1580
    correlation:
      type: event_count
      rules:
        - threats.discovery.list-describe-call
      group-by:
        - userIdentity.arn
      timespan: 5m
      condition:
        gt: 100
    falsepositives:
      - Inventory and security scanners
    level: low
    ---
    title: Bedrock model access enabled or invoked by an unusual identity
    id: fafc2621-de85-51e8-bba9-8bceae0ff47a
    name: threats.impact.bedrock-abuse
    status: stable
    description: Model access was requested (entitlement, agreement, use case) or a model invoked; attackers resell stolen access to large language models.
    references:
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.impact.bedrock-invoke-model/
      - https://attack.mitre.org/techniques/T1496/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.impact
      - attack.t1496
    logsource:
      product: aws
      service: cloudtrail
    detection:
      access:
        eventSource: bedrock.amazonaws.com
        eventName:
          - PutFoundationModelEntitlement
          - CreateFoundationModelAgreement
          - PutUseCaseForModelAccess
      invoke:
        eventSource: bedrock.amazonaws.com
        eventName:
          - InvokeModel
          - InvokeModelWithResponseStream
          - Converse
          - ConverseStream
      condition: access or invoke
    falsepositives:
      - Teams building on Bedrock
    level: medium
    remediation: Confirm the account should use Bedrock; deny bedrock:* where it should not.
    ---
    title: KMS key scheduled for deletion or disabled
    id: 19aff6ff-4722-5e2f-9cee-7d25a1a92ed2
    name: threats.impact.kms-key-deletion
    status: stable
    description: A KMS key was scheduled for deletion or disabled; data encrypted with it becomes unreadable (ransom).
    references:
      - https://attack.mitre.org/techniques/T1485/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.impact
      - attack.t1485
    logsource:
      product: aws
      service: cloudtrail
    detection:
      selection:
        eventSource: kms.amazonaws.com
        eventName:
          - ScheduleKeyDeletion
          - DisableKey
      condition: selection
    falsepositives:
      - Key retirement
    level: high
    remediation: Cancel the deletion (CancelKeyDeletion) within the waiting period.
    ---
    title: Delete calls of one identity
    id: 9b07c578-278b-5a82-b682-860299fd899e
    name: threats.impact.delete-call
    status: stable
    description: A Delete or Terminate call (counted per identity by the burst rule below).
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.impact
      - attack.t1485
    logsource:
      product: aws
      service: cloudtrail
    detection:
      selection:
        eventName|startswith:
          - Delete
          - Terminate
      condition: selection
    falsepositives:
      - Cleanup jobs
    level: informational
    ---
    title: Mass deletion
    id: 728a0915-1e76-5a65-9d95-ea2701a27610
    name: threats.impact.mass-delete
    status: stable
    description: One identity made more than 20 Delete or Terminate calls within 10 minutes.
    references:
      - https://attack.mitre.org/techniques/T1485/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.impact
      - attack.t1485
    correlation:
      type: event_count
      rules:
        - threats.impact.delete-call
      group-by:
        - userIdentity.arn
      timespan: 10m
      condition:
        gt: 20
    falsepositives:
      - Teardown of test environments
    level: high
    """#
}

// The `threats` pack's execution rules (Sigma, one document per rule): each names the ATT&CK
// technique in its tags and the Stratus Red Team technique it detects in its references, with
// false positives and a remediation (docs/detections.md, "The threats pack").

extension RulePacks {
  /// The execution rules of the `threats` pack.
  static let threatsExecution = #"""
    title: EC2 instance user data modified
    id: cf17c5aa-d473-58fa-b04c-5346c55d3fb8
    name: threats.execution.ec2-user-data
    status: stable
    description: An instance's user data was changed; it runs as root at the next start.
    references:
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.execution.ec2-user-data/
      - https://attack.mitre.org/techniques/T1059/009/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.execution
      - attack.t1059.009
    logsource:
      product: aws
      service: cloudtrail
    detection:
      selection:
        eventSource: ec2.amazonaws.com
        eventName: ModifyInstanceAttribute
        requestParameters.userData|exists: true
      condition: selection
    falsepositives:
      - Configuration management that rewrites user data
    level: high
    remediation: Read the new user data and restore the previous version before the instance starts again.
    ---
    title: SSM command run on instances
    id: 9c64fcf4-f3f1-5201-ba6f-8764fbb946ca
    name: threats.execution.ssm-send-command
    status: stable
    description: SendCommand runs commands on managed instances as root.
    references:
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.execution.ssm-send-command/
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.credential-access.ec2-steal-instance-credentials/
      - https://attack.mitre.org/techniques/T1651/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.execution
      - attack.t1651
    logsource:
      product: aws
      service: cloudtrail
    detection:
      selection:
        eventSource: ssm.amazonaws.com
        eventName: SendCommand
      condition: selection
    falsepositives:
      - Patch and configuration management
    level: medium
    remediation: Review the document and parameters of the command; check the caller.
    ---
    title: SSM session started on an instance
    id: 727d5508-97ef-5c85-8cce-aef59d49d184
    name: threats.execution.ssm-start-session
    status: stable
    description: An interactive Session Manager session was opened on an instance.
    references:
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.execution.ssm-start-session/
      - https://attack.mitre.org/techniques/T1651/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.execution
      - attack.t1651
    logsource:
      product: aws
      service: cloudtrail
    detection:
      selection:
        eventSource: ssm.amazonaws.com
        eventName: StartSession
      condition: selection
    falsepositives:
      - Administrators using Session Manager
    level: low
    remediation: Check the session log (if enabled) and the caller.
    ---
    title: Unusual EC2 instance types launched
    id: 1d220a92-a067-5338-8d75-b8e01e806552
    name: threats.execution.unusual-instance-types
    status: stable
    description: GPU or very large instances were launched (or tried), as for cryptocurrency mining.
    references:
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.execution.ec2-launch-unusual-instances/
      - https://attack.mitre.org/techniques/T1496/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.execution
      - attack.impact
      - attack.t1496
    logsource:
      product: aws
      service: cloudtrail
    detection:
      selection:
        eventSource: ec2.amazonaws.com
        eventName: RunInstances
        requestParameters.instanceType|startswith:
          - 'p2.'
          - 'p3.'
          - 'p4'
          - 'p5.'
          - 'g4'
          - 'g5'
          - 'g6'
          - 'inf'
          - 'trn'
          - 'x1'
          - 'x2'
      condition: selection
    falsepositives:
      - Machine-learning teams
    level: medium
    remediation: Confirm the launch; terminate unknown instances and cap the account's GPU quotas.
    """#
}

// The `threats` pack's initial access lateral rules (Sigma, one document per rule): each names the ATT&CK
// technique in its tags and the Stratus Red Team technique it detects in its references, with
// false positives and a remediation (docs/detections.md, "The threats pack").

extension RulePacks {
  /// The initial access lateral rules of the `threats` pack.
  static let threatsInitialAccessLateral = #"""
    title: Console sign-in without MFA
    id: 47cd857b-10b8-5bda-bbe3-207d3385d0b5
    name: threats.initial-access.console-login-without-mfa
    status: stable
    description: A successful console sign-in of an IAM user without MFA.
    references:
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.initial-access.console-login-without-mfa/
      - https://attack.mitre.org/techniques/T1078/004/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.initial-access
      - attack.t1078.004
    logsource:
      product: aws
      service: cloudtrail
    detection:
      selection:
        eventSource: signin.amazonaws.com
        eventName: ConsoleLogin
        userIdentity.type:
          - IAMUser
          - Root
        additionalEventData.MFAUsed: 'No'
        responseElements.ConsoleLogin: Success
      condition: selection
    falsepositives:
      - Users who have not set up MFA yet
    level: medium
    remediation: Require MFA for console users (an IAM policy condition on aws:MultiFactorAuthPresent).
    ---
    title: Root account used
    id: c2654b1e-6ce0-5e14-b4e7-1a0d0b8aaeba
    name: threats.initial-access.root-use
    status: stable
    description: A call made with the root user's credentials, not by an AWS service on its behalf.
    references:
      - https://attack.mitre.org/techniques/T1078/004/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.initial-access
      - attack.privilege-escalation
      - attack.t1078.004
    logsource:
      product: aws
      service: cloudtrail
    detection:
      selection:
        userIdentity.type: Root
      service:
        userIdentity.invokedBy|exists: true
      condition: selection and not service
    falsepositives:
      - The few tasks only root can do
    level: high
    remediation: Lock the root user away (hardware MFA, no keys) and find out why it was used.
    ---
    title: SSH key pushed with EC2 Instance Connect
    id: 19f59d50-79a4-5077-b09b-5057976ef65a
    name: threats.lateral-movement.ec2-instance-connect
    status: stable
    description: A temporary SSH key was pushed to an instance (or its serial console), or serial console access was enabled.
    references:
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.lateral-movement.ec2-instance-connect/
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.lateral-movement.ec2-serial-console-send-ssh-public-key/
      - https://attack.mitre.org/techniques/T1021/004/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.lateral-movement
      - attack.t1021.004
    logsource:
      product: aws
      service: cloudtrail
    detection:
      push:
        eventSource: ec2-instance-connect.amazonaws.com
        eventName:
          - SendSSHPublicKey
          - SendSerialConsoleSSHPublicKey
      serial:
        eventSource: ec2.amazonaws.com
        eventName: EnableSerialConsoleAccess
      condition: push or serial
    falsepositives:
      - Administrators using EC2 Instance Connect
    level: medium
    remediation: Check the instance and OS user; disable serial console access if not needed.
    """#
}

// The `threats` pack's credential access rules (Sigma, one document per rule): each names the ATT&CK
// technique in its tags and the Stratus Red Team technique it detects in its references, with
// false positives and a remediation (docs/detections.md, "The threats pack").

extension RulePacks {
  /// The credential access rules of the `threats` pack.
  static let threatsCredentialAccess = #"""
    title: Secrets Manager secrets retrieved in bulk
    id: 06d8af05-78da-50fe-98f4-15b77bc03b69
    name: threats.credential-access.secrets-batch-retrieval
    status: stable
    description: BatchGetSecretValue returns many secrets in one call; an attacker with read access dumps them this way.
    references:
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.credential-access.secretsmanager-batch-retrieve-secrets/
      - https://attack.mitre.org/techniques/T1555/006/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.credential-access
      - attack.t1555.006
    logsource:
      product: aws
      service: cloudtrail
    detection:
      selection:
        eventSource: secretsmanager.amazonaws.com
        eventName: BatchGetSecretValue
      condition: selection
    falsepositives:
      - Applications that load their configuration with BatchGetSecretValue
    level: medium
    remediation: Review which secrets were returned and rotate them if the caller was not expected.
    ---
    title: Secret values read by one identity
    id: 261297df-68de-5a12-806e-a509ba803e2b
    name: threats.credential-access.secret-value-read
    status: stable
    description: A secret's value was read (GetSecretValue). Counted per identity by the burst rule below.
    references:
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.credential-access.secretsmanager-retrieve-secrets/
      - https://attack.mitre.org/techniques/T1555/006/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.credential-access
      - attack.t1555.006
    logsource:
      product: aws
      service: cloudtrail
    detection:
      selection:
        eventSource: secretsmanager.amazonaws.com
        eventName: GetSecretValue
      condition: selection
    falsepositives:
      - Every application that reads its secrets
    level: informational
    remediation: None on its own; see the burst rule.
    ---
    title: Burst of secret retrievals
    id: 5d372433-849b-52cc-a86a-826f9d9b624d
    name: threats.credential-access.secrets-retrieval-burst
    status: stable
    description: One identity read more than 5 secret values within 10 minutes, as a secrets dump does.
    references:
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.credential-access.secretsmanager-retrieve-secrets/
      - https://attack.mitre.org/techniques/T1555/006/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.credential-access
      - attack.t1555.006
    correlation:
      type: event_count
      rules:
        - threats.credential-access.secret-value-read
      group-by:
        - userIdentity.arn
      timespan: 10m
      condition:
        gt: 5
    falsepositives:
      - A deployment that reads many secrets at start-up
    level: high
    remediation: Rotate the secrets that were read, and find how the identity got access.
    ---
    title: SSM SecureString parameters decrypted
    id: 603a0325-18fd-5899-9b6e-1de727d80507
    name: threats.credential-access.ssm-securestring-retrieval
    status: stable
    description: Parameters were read with decryption (withDecryption true), which returns SecureString values in clear.
    references:
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.credential-access.ssm-retrieve-securestring-parameters/
      - https://attack.mitre.org/techniques/T1552/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.credential-access
      - attack.t1552
    logsource:
      product: aws
      service: cloudtrail
    detection:
      selection:
        eventSource: ssm.amazonaws.com
        eventName:
          - GetParameter
          - GetParameters
          - GetParametersByPath
        requestParameters.withDecryption: true
      condition: selection
    falsepositives:
      - Applications reading their own SecureString parameters
    level: low
    remediation: Check that the caller is the application the parameters belong to; rotate otherwise.
    ---
    title: EC2 Windows password data retrieved
    id: 6c5d5798-6f43-5484-a174-d89de3126e85
    name: threats.credential-access.ec2-get-password-data
    status: stable
    description: GetPasswordData returns the encrypted administrator password of a Windows instance; attempts count even when denied.
    references:
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.credential-access.ec2-get-password-data/
      - https://attack.mitre.org/techniques/T1552/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.credential-access
      - attack.t1552
    logsource:
      product: aws
      service: cloudtrail
    detection:
      selection:
        eventSource: ec2.amazonaws.com
        eventName: GetPasswordData
      condition: selection
    falsepositives:
      - Administrators connecting to Windows instances
    level: medium
    remediation: Confirm the caller administers that instance; reset the password otherwise.
    ---
    title: Instance role credentials used away from their instance
    id: 404f0492-d121-54f0-b605-febd1589dad9
    name: threats.credential-access.ec2-instance-credentials-used
    status: experimental
    description: A session of an instance profile (session name an instance id) checked its identity or listed instances with a non-SDK user agent, as an attacker does right after stealing the credentials from the instance metadata service.
    references:
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.credential-access.ec2-steal-instance-credentials/
      - https://attack.mitre.org/techniques/T1552/005/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.credential-access
      - attack.t1552.005
    logsource:
      product: aws
      service: cloudtrail
    detection:
      selection:
        userIdentity.type: AssumedRole
        userIdentity.arn|re: ':assumed-role/[^/]+/i-[0-9a-fA-F]+$'
        eventName:
          - GetCallerIdentity
          - DescribeInstances
      filter_sdk:
        userAgent|contains:
          - aws-sdk-go
          - Boto3
          - aws-sdk-java
      filter_service:
        userIdentity.invokedBy|exists: true
      condition: selection and not filter_sdk and not filter_service
    falsepositives:
      - Scripts on the instance using the AWS CLI
    level: medium
    remediation: Compare sourceIPAddress with the instance's addresses; if it differs, revoke the role's sessions (aws:TokenIssueTime condition) and enforce IMDSv2.
    """#
}

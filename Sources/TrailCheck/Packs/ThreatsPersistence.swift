// The `threats` pack's persistence rules (Sigma, one document per rule): each names the ATT&CK
// technique in its tags and the Stratus Red Team technique it detects in its references, with
// false positives and a remediation (docs/detections.md, "The threats pack").

extension RulePacks {
  /// The persistence rules of the `threats` pack.
  static let threatsPersistence = #"""
    title: Access key created for another user
    id: ded4ba26-4ebd-5cfe-abef-faeac260871a
    name: threats.persistence.access-key-for-other-user
    status: stable
    description: An identity created an access key for a user other than itself, a classic backdoor.
    references:
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.persistence.iam-backdoor-user/
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.persistence.iam-create-admin-user/
      - https://attack.mitre.org/techniques/T1098/001/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.persistence
      - attack.t1098.001
    logsource:
      product: aws
      service: cloudtrail
    detection:
      selection:
        eventSource: iam.amazonaws.com
        eventName: CreateAccessKey
      target_named:
        requestParameters.userName|exists: true
      self:
        requestParameters.userName|fieldref: userIdentity.userName
      condition: selection and target_named and not self
    falsepositives:
      - Administrators provisioning keys for service users
    level: high
    remediation: Delete the key unless the user's owner asked for it; review the creator's other actions.
    ---
    title: Console password set for a user
    id: bd2b1a20-2eb2-56bd-b858-f4ccb831d86c
    name: threats.persistence.login-profile
    status: stable
    description: A console password (login profile) was created or changed for a user, giving console access to whoever set it.
    references:
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.persistence.iam-create-user-login-profile/
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.privilege-escalation.iam-update-user-login-profile/
      - https://attack.mitre.org/techniques/T1098/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.persistence
      - attack.privilege-escalation
      - attack.t1098
    logsource:
      product: aws
      service: cloudtrail
    detection:
      selection:
        eventSource: iam.amazonaws.com
        eventName:
          - CreateLoginProfile
          - UpdateLoginProfile
      target_named:
        requestParameters.userName|exists: true
      self:
        requestParameters.userName|fieldref: userIdentity.userName
      condition: selection and target_named and not self
    falsepositives:
      - Onboarding of a new console user
    level: medium
    remediation: Confirm with the user; delete the login profile and rotate if unexpected.
    ---
    title: Role trust policy opened to an AWS account
    id: 86a64275-3d07-54be-9dbb-a5bf5a4ef1d6
    name: threats.persistence.backdoor-role-trust
    status: stable
    description: A role was created or its trust policy updated to let an AWS account principal assume it, which is how a backdoor role for an outside account is made.
    references:
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.persistence.iam-backdoor-role/
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.persistence.iam-create-backdoor-role/
      - https://attack.mitre.org/techniques/T1098/003/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.persistence
      - attack.t1098.003
    logsource:
      product: aws
      service: cloudtrail
    detection:
      create:
        eventSource: iam.amazonaws.com
        eventName: CreateRole
        requestParameters.assumeRolePolicyDocument|contains: 'arn:aws:iam::'
      update:
        eventSource: iam.amazonaws.com
        eventName: UpdateAssumeRolePolicy
        requestParameters.policyDocument|contains:
          - 'arn:aws:iam::'
          - '"AWS":"*"'
          - '"AWS": "*"'
          - '"Principal":"*"'
          - '"Principal": "*"'
      condition: create or update
    falsepositives:
      - Cross-account roles for known partner accounts
    level: high
    remediation: Check the account id in the trust policy against your known accounts; remove it if unknown.
    ---
    title: Administrator policy attached
    id: ec544a09-0f58-5e59-b8ef-b543f3fafa00
    name: threats.persistence.admin-policy-attached
    status: stable
    description: AdministratorAccess was attached to a user, role or group.
    references:
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.persistence.iam-create-admin-user/
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.persistence.iam-create-backdoor-role/
      - https://attack.mitre.org/techniques/T1098/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.persistence
      - attack.privilege-escalation
      - attack.t1098
    logsource:
      product: aws
      service: cloudtrail
    detection:
      selection:
        eventSource: iam.amazonaws.com
        eventName:
          - AttachUserPolicy
          - AttachRolePolicy
          - AttachGroupPolicy
        requestParameters.policyArn|endswith: ':policy/AdministratorAccess'
      condition: selection
    falsepositives:
      - Break-glass roles set up on purpose
    level: high
    remediation: Detach the policy unless approved; review what the principal did since.
    ---
    title: Lambda function opened, backdoored or given a layer
    id: 515d6cac-1c10-59b1-ba7f-9d526cd88ef3
    name: threats.persistence.lambda-backdoor
    status: stable
    description: A Lambda function was made invocable by anyone, had its code overwritten, or got a new layer (an extension runs with the function's role).
    references:
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.persistence.lambda-backdoor-function/
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.persistence.lambda-overwrite-code/
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.persistence.lambda-layer-extension/
      - https://attack.mitre.org/techniques/T1546/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.persistence
      - attack.t1546
    logsource:
      product: aws
      service: cloudtrail
    detection:
      public:
        eventSource: lambda.amazonaws.com
        eventName|startswith: AddPermission
        requestParameters.principal: '*'
      code:
        eventSource: lambda.amazonaws.com
        eventName|startswith: UpdateFunctionCode
      layer:
        eventSource: lambda.amazonaws.com
        eventName|startswith: UpdateFunctionConfiguration
        requestParameters.layers|exists: true
      condition: 1 of them
    falsepositives:
      - Deployments of the function by its pipeline
    level: medium
    remediation: Compare the code and layers with the deployed version; remove the public permission.
    ---
    title: IAM Roles Anywhere trust anchor created
    id: d0e81392-9e04-5d28-92ed-1749874c3ab4
    name: threats.persistence.rolesanywhere-trust-anchor
    status: stable
    description: A Roles Anywhere trust anchor lets holders of certificates from an outside CA get role credentials.
    references:
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.persistence.rolesanywhere-create-trust-anchor/
      - https://attack.mitre.org/techniques/T1098/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.persistence
      - attack.t1098
    logsource:
      product: aws
      service: cloudtrail
    detection:
      selection:
        eventSource: rolesanywhere.amazonaws.com
        eventName:
          - CreateTrustAnchor
          - CreateProfile
      condition: selection
    falsepositives:
      - Planned hybrid workloads
    level: high
    remediation: Verify the certificate authority; delete the trust anchor if unknown.
    ---
    title: Federation token obtained
    id: 0a5e3993-a9da-569a-96a3-c05d75c9c7a5
    name: threats.persistence.federation-token
    status: stable
    description: GetFederationToken gives credentials that survive the deletion of the user's access keys for up to 36 hours.
    references:
      - https://stratus-red-team.cloud/attack-techniques/AWS/aws.persistence.sts-federation-token/
      - https://attack.mitre.org/techniques/T1550/001/
    author: trail-scan
    date: 2026-11-30
    tags:
      - attack.persistence
      - attack.t1550.001
    logsource:
      product: aws
      service: cloudtrail
    detection:
      selection:
        eventSource: sts.amazonaws.com
        eventName: GetFederationToken
      condition: selection
    falsepositives:
      - Federation brokers that use it by design
    level: medium
    remediation: Deny sts:GetFederationToken where not needed; the session's calls show what it did (trail-scan trace).
    """#
}

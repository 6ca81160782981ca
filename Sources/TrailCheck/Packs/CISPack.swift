// The built-in `cis` pack: one rule per CloudWatch metric-filter monitoring control of the CIS AWS
// Foundations Benchmark, patterns exactly as published (cloudtrail-formats.md §6.4). It is YAML
// read by the same loader as users' rule files, so the pack is data, not code.

extension RulePacks {
  /// The `cis` pack's YAML.
  static let cis = #"""
    pack: cis
    description: >-
      CIS AWS Foundations Benchmark monitoring controls (v1.2.0 section 3, v1.4.0 section 4):
      the CloudWatch Logs metric filters that CIS asks to alarm on, with their published patterns.
    rules:
      - id: cis.root-usage
        title: Root account usage
        severity: high
        pattern: '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}'
        description: >-
          The root user has unrestricted access to every resource of the account. CIS asks for an alarm on any call made with root credentials, except calls made by an AWS service on the account's behalf.
        remediation: >-
          Lock the root user away: no access keys, hardware MFA, and day-to-day work through IAM roles. Find out who used root and why.
        references:
          - CIS AWS Foundations Benchmark v1.2.0 3.3
          - CIS AWS Foundations Benchmark v1.4.0 4.3
          - AWS Security Hub CloudWatch.1
          - https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-1
      - id: cis.unauthorized-api-calls
        title: Unauthorized API calls
        severity: medium
        pattern: '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}'
        description: >-
          Calls refused with UnauthorizedOperation or AccessDenied can show an attacker probing, or an application whose permissions are wrong.
        remediation: >-
          Look at the principals and actions refused; fix broken permissions or investigate the caller.
        references:
          - CIS AWS Foundations Benchmark v1.2.0 3.1
          - CIS AWS Foundations Benchmark v1.4.0 4.1
          - AWS Security Hub CloudWatch.2
          - https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-2
      - id: cis.console-login-no-mfa
        title: Console sign-in without MFA
        severity: high
        pattern: '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }'
        description: >-
          An IAM user signed in to the console successfully without multi-factor authentication.
        remediation: >-
          Require MFA for every IAM user with a console password, or move people to IAM Identity Center.
        references:
          - CIS AWS Foundations Benchmark v1.2.0 3.2
          - CIS AWS Foundations Benchmark v1.4.0 4.2
          - AWS Security Hub CloudWatch.3
          - https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-3
      - id: cis.iam-policy-changes
        title: IAM policy changes
        severity: medium
        pattern: '{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy)}'
        description: >-
          IAM policies were created, changed, attached or detached: changes to who may do what.
        remediation: >-
          Check that each change was planned and reviewed.
        references:
          - CIS AWS Foundations Benchmark v1.2.0 3.4
          - CIS AWS Foundations Benchmark v1.4.0 4.4
          - AWS Security Hub CloudWatch.4
          - https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-4
      - id: cis.cloudtrail-changes
        title: CloudTrail configuration changes
        severity: high
        pattern: '{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging)}'
        description: >-
          A trail was created, updated or deleted, or logging was started or stopped: an attacker's first move is often to stop the record of what they do.
        remediation: >-
          Confirm each change; turn logging back on and protect trails with an SCP.
        references:
          - CIS AWS Foundations Benchmark v1.2.0 3.5
          - CIS AWS Foundations Benchmark v1.4.0 4.5
          - AWS Security Hub CloudWatch.5
          - https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-5
      - id: cis.console-auth-failures
        title: Console authentication failures
        severity: medium
        pattern: '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}'
        description: >-
          Console sign-ins failed authentication; many of them can mean password guessing.
        remediation: >-
          Look at the source addresses and user names; lock or reset accounts under attack.
        references:
          - CIS AWS Foundations Benchmark v1.2.0 3.6
          - CIS AWS Foundations Benchmark v1.4.0 4.6
          - AWS Security Hub CloudWatch.6
          - https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-6
      - id: cis.cmk-disable-or-delete
        title: Customer managed keys disabled or scheduled for deletion
        severity: high
        pattern: '{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}'
        description: >-
          A KMS customer managed key was disabled or scheduled for deletion; data encrypted under it becomes unreadable.
        remediation: >-
          Cancel the deletion (CancelKeyDeletion) or enable the key again if the change was not intended.
        references:
          - CIS AWS Foundations Benchmark v1.2.0 3.7
          - CIS AWS Foundations Benchmark v1.4.0 4.7
          - AWS Security Hub CloudWatch.7
          - https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-7
      - id: cis.s3-bucket-policy-changes
        title: S3 bucket policy changes
        severity: medium
        pattern: '{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || ($.eventName=PutBucketPolicy) || ($.eventName=PutBucketCors) || ($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) || ($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || ($.eventName=DeleteBucketLifecycle) || ($.eventName=DeleteBucketReplication))}'
        description: >-
          A bucket's ACL, policy, CORS, lifecycle or replication configuration changed; this can expose data.
        remediation: >-
          Review the new bucket configuration; keep Block Public Access on.
        references:
          - CIS AWS Foundations Benchmark v1.2.0 3.8
          - CIS AWS Foundations Benchmark v1.4.0 4.8
          - AWS Security Hub CloudWatch.8
          - https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-8
      - id: cis.config-changes
        title: AWS Config configuration changes
        severity: high
        pattern: '{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || ($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || ($.eventName=PutConfigurationRecorder))}'
        description: >-
          The AWS Config recorder or delivery channel was stopped, deleted or changed: the inventory of resource changes may have gaps.
        remediation: >-
          Restart the recorder and restore the delivery channel; find out who changed it.
        references:
          - CIS AWS Foundations Benchmark v1.2.0 3.9
          - CIS AWS Foundations Benchmark v1.4.0 4.9
          - AWS Security Hub CloudWatch.9
          - https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-9
      - id: cis.security-group-changes
        title: Security group changes
        severity: medium
        pattern: '{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) || ($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || ($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)}'
        description: >-
          Security groups were created, deleted, or their rules changed: network access to resources changed.
        remediation: >-
          Review the rules; no ingress from 0.0.0.0/0 to administrative ports.
        references:
          - CIS AWS Foundations Benchmark v1.2.0 3.10
          - CIS AWS Foundations Benchmark v1.4.0 4.10
          - AWS Security Hub CloudWatch.10
          - https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-10
      - id: cis.nacl-changes
        title: Network ACL changes
        severity: medium
        pattern: '{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || ($.eventName=DeleteNetworkAcl) || ($.eventName=DeleteNetworkAclEntry) || ($.eventName=ReplaceNetworkAclEntry) || ($.eventName=ReplaceNetworkAclAssociation)}'
        description: >-
          Network ACLs or their entries were created, deleted or replaced.
        remediation: >-
          Review the changed ACLs and their subnet associations.
        references:
          - CIS AWS Foundations Benchmark v1.2.0 3.11
          - CIS AWS Foundations Benchmark v1.4.0 4.11
          - AWS Security Hub CloudWatch.11
          - https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-11
      - id: cis.network-gateway-changes
        title: Network gateway changes
        severity: medium
        pattern: '{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || ($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || ($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}'
        description: >-
          Customer or internet gateways were created, deleted, attached or detached: traffic into and out of VPCs changed.
        remediation: >-
          Confirm each gateway change was intended.
        references:
          - CIS AWS Foundations Benchmark v1.2.0 3.12
          - CIS AWS Foundations Benchmark v1.4.0 4.12
          - AWS Security Hub CloudWatch.12
          - https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-12
      - id: cis.route-table-changes
        title: Route table changes
        severity: medium
        pattern: '{($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || ($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) || ($.eventName=DisassociateRouteTable)}'
        description: >-
          Routes or route tables were created, replaced, deleted or re-associated: traffic may take another path.
        remediation: >-
          Review the routes; look for routes to unexpected gateways or peering connections.
        references:
          - CIS AWS Foundations Benchmark v1.2.0 3.13
          - CIS AWS Foundations Benchmark v1.4.0 4.13
          - AWS Security Hub CloudWatch.13
          - https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-13
      - id: cis.vpc-changes
        title: VPC changes
        severity: medium
        pattern: '{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || ($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || ($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || ($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || ($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)}'
        description: >-
          VPCs, their attributes, peering connections or ClassicLink were created, changed or deleted.
        remediation: >-
          Confirm each VPC and peering change was intended.
        references:
          - CIS AWS Foundations Benchmark v1.2.0 3.14
          - CIS AWS Foundations Benchmark v1.4.0 4.14
          - AWS Security Hub CloudWatch.14
          - https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-14
      - id: cis.organizations-changes
        title: AWS Organizations changes
        severity: high
        pattern: '{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) }'
        description: >-
          The organization's accounts, units, policies or handshakes changed: this affects every account in it.
        remediation: >-
          Confirm each change with the organization's administrators.
        references:
          - CIS AWS Foundations Benchmark v1.4.0 4.15
          - https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html
    """#
}

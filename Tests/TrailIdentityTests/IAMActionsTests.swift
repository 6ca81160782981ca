// The mapping from CloudTrail calls to IAM actions: the exceptions the Service Authorization
// Reference and the services' API references name, the calls that need no permission, and the
// rules (event source renames, API versions in names, API Gateway's HTTP methods).
import Testing

@testable import TrailIdentity

@Suite struct IAMActionsTests {
  func action(_ source: String, _ name: String) -> String? {
    IAMActions.action(eventSource: "\(source).amazonaws.com", eventName: name)
  }

  func actions(_ source: String, _ name: String) -> [String] {
    IAMActions.actions(eventSource: "\(source).amazonaws.com", eventName: name)
  }

  @Test func callsNamedLikeTheirActionMapToThemselves() {
    #expect(action("s3", "GetObject") == "s3:GetObject")
    #expect(action("iam", "CreateUser") == "iam:CreateUser")
    #expect(action("ec2", "RunInstances") == "ec2:RunInstances")
    #expect(action("ec2", "DescribeInstances") == "ec2:DescribeInstances")
    #expect(action("sts", "AssumeRole") == "sts:AssumeRole")
    #expect(action("kms", "Decrypt") == "kms:Decrypt")
    #expect(action("secretsmanager", "GetSecretValue") == "secretsmanager:GetSecretValue")
    #expect(action("s3", "GetBucketLocation") == "s3:GetBucketLocation")
    #expect(action("es", "CreateDomain") == "es:CreateDomain")
    #expect(action("elasticloadbalancing", "DescribeLoadBalancers") == "elasticloadbalancing:DescribeLoadBalancers")
    #expect(action("sso", "ListPermissionSets") == "sso:ListPermissionSets")
    #expect(action("ses", "SendEmail") == "ses:SendEmail")
  }

  @Test func eventSourcesWhosePrefixDiffers() {
    #expect(IAMActions.prefix(ofEventSource: "monitoring.amazonaws.com") == "cloudwatch")
    #expect(action("monitoring", "PutMetricAlarm") == "cloudwatch:PutMetricAlarm")
    #expect(action("email", "SendEmail") == "ses:SendEmail")
    #expect(action("streams.dynamodb", "GetRecords") == "dynamodb:GetRecords")
    #expect(action("tagging", "GetResources") == "tag:GetResources")
    #expect(action("cloudcontrolapi", "GetResource") == "cloudformation:GetResource")
    #expect(action("appconfigdata", "GetLatestConfiguration") == "appconfig:GetLatestConfiguration")
    #expect(IAMActions.prefix(ofEventSource: "s3.amazonaws.com") == "s3")
    #expect(IAMActions.prefix(ofEventSource: "custom-source") == "custom-source")
  }

  @Test func s3NamesThatDiffer() {
    #expect(action("s3", "ListBuckets") == "s3:ListAllMyBuckets")
    #expect(action("s3", "HeadObject") == "s3:GetObject")
    #expect(action("s3", "HeadBucket") == "s3:ListBucket")
    #expect(action("s3", "ListObjects") == "s3:ListBucket")
    #expect(action("s3", "ListObjectsV2") == "s3:ListBucket")
    #expect(action("s3", "ListObjectVersions") == "s3:ListBucketVersions")
    #expect(action("s3", "DeleteObjects") == "s3:DeleteObject")
    #expect(action("s3", "UploadPart") == "s3:PutObject")
    #expect(action("s3", "CompleteMultipartUpload") == "s3:PutObject")
    #expect(action("s3", "PutBucketLifecycle") == "s3:PutLifecycleConfiguration")
    #expect(action("s3", "DeleteBucketLifecycle") == "s3:PutLifecycleConfiguration")
    #expect(action("s3", "GetBucketLifecycle") == "s3:GetLifecycleConfiguration")
    #expect(action("s3", "PutBucketEncryption") == "s3:PutEncryptionConfiguration")
    #expect(action("s3", "DeleteBucketEncryption") == "s3:PutEncryptionConfiguration")
    #expect(action("s3", "DeleteBucketReplication") == "s3:PutReplicationConfiguration")
    #expect(action("s3", "PutBucketReplication") == "s3:PutReplicationConfiguration")
    #expect(action("s3", "DeleteBucketPublicAccessBlock") == "s3:PutBucketPublicAccessBlock")
    #expect(action("s3", "GetBucketCors") == "s3:GetBucketCORS")
    #expect(action("s3", "DeleteBucketCors") == "s3:PutBucketCORS")
    #expect(action("s3express", "ListDirectoryBuckets") == "s3express:ListAllMyDirectoryBuckets")
    // A copy writes the target and reads the source, which the event does not name as a target.
    let copy = IAMActions.mapping(eventSource: "s3.amazonaws.com", eventName: "CopyObject")
    #expect(
      copy
        == .permissions([
          IAMActions.Permission("s3:PutObject"), IAMActions.Permission("s3:GetObject", usesTargets: false),
        ]))
  }

  @Test func lambdaVersionedNamesAndInvoke() {
    #expect(action("lambda", "ListFunctions20150331") == "lambda:ListFunctions")
    #expect(action("lambda", "UpdateFunctionCode20150331v2") == "lambda:UpdateFunctionCode")
    #expect(action("lambda", "UpdateFunctionConfiguration20150331v2") == "lambda:UpdateFunctionConfiguration")
    #expect(action("lambda", "AddPermission20150331v2") == "lambda:AddPermission")
    #expect(action("lambda", "GetFunction20150331v2") == "lambda:GetFunction")
    #expect(action("lambda", "PublishLayerVersion20181031") == "lambda:PublishLayerVersion")
    #expect(action("lambda", "Invoke") == "lambda:InvokeFunction")
    #expect(action("cloudfront", "CreateDistribution2020_05_31") == "cloudfront:CreateDistribution")
    #expect(IAMActions.withoutVersion("ListObjectsV2") == nil)
    #expect(IAMActions.withoutVersion("20150331") == nil)
    #expect(IAMActions.withoutVersion("Get1234567") == nil)
    #expect(IAMActions.withoutVersion("Invoke20150331v") == nil)
  }

  @Test func otherServicesThatDiffer() {
    #expect(actions("kms", "ReEncrypt") == ["kms:ReEncryptFrom", "kms:ReEncryptTo"])
    #expect(action("bedrock", "Converse") == "bedrock:InvokeModel")
    #expect(action("bedrock", "ConverseStream") == "bedrock:InvokeModelWithResponseStream")
    #expect(action("ssm", "OpenControlChannel") == "ssmmessages:OpenControlChannel")
    #expect(action("ssm", "SendCommand") == "ssm:SendCommand")
  }

  @Test func apiGatewayIsAuthorisedByHTTPMethod() {
    #expect(action("apigateway", "GetResource") == "apigateway:GET")
    #expect(action("apigateway", "CreateRestApi") == "apigateway:POST")
    #expect(action("apigateway", "UpdateStage") == "apigateway:PATCH")
    #expect(action("apigateway", "DeleteStage") == "apigateway:DELETE")
    #expect(action("apigateway", "PutIntegration") == "apigateway:PUT")
    #expect(action("apigateway", "ImportRestApi") == "apigateway:POST")
    #expect(actions("apigateway", "TagResource") == ["apigateway:POST", "apigateway:PUT"])
    #expect(action("apigateway", "CreatePortal") == "apigateway:CreatePortal")
    #expect(action("apigateway", "Getaway") == nil)
  }

  @Test func callsThatNeedNoPermission() {
    for (source, name) in [
      ("sts", "GetCallerIdentity"), ("sts", "GetSessionToken"), ("signin", "ConsoleLogin"),
      ("signin", "GetSigninToken"), ("signin", "SwitchRole"), ("signin", "ExternalIdPDirectoryLogin"),
      ("sso", "Authenticate"), ("sso", "CreateToken"), ("sso", "GetRoleCredentials"),
    ] {
      guard case .noPermission = IAMActions.mapping(eventSource: "\(source).amazonaws.com", eventName: name) else {
        Issue.record("\(source):\(name) should need no permission")
        continue
      }
      #expect(action(source, name) == nil)
    }
    // The sign-in service's own authorisations are actions of the reference.
    #expect(action("signin", "CreateOAuth2Token") == "signin:CreateOAuth2Token")
  }

  @Test func unknownCallsMapToNothing() {
    #expect(IAMActions.mapping(eventSource: "s3.amazonaws.com", eventName: "SetQueueAttributes") == .unknown)
    #expect(IAMActions.mapping(eventSource: "nosuch.amazonaws.com", eventName: "Anything") == .unknown)
    #expect(action("iam", "NotCreateUser") == nil)
    #expect(action("s3", "") == nil)
  }

  @Test func everyTableActionIsInTheCatalogAndNoneIsAWildcard() {
    for action in IAMActions.tableActions {
      #expect(IAMActions.isKnown(action), "\(action)")
    }
    for action in IAMActions.allActions {
      #expect(!action.contains("*") && !action.contains("?"), "\(action)")
    }
    #expect(IAMActions.allActions.count == IAMCatalog.actionCount)
    // A renamed call must not itself be an action (the rename would hide it).
    for call in IAMActions.renames.keys {
      #expect(!IAMActions.isKnown(call), "\(call) is an action itself")
    }
  }
}

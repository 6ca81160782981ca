// The catalogue of synthetic event kinds: how often each occurs, which identities make it,
// how often it fails, whether it is a global-service event (recorded in us-east-1 only), and
// which builder writes its body.

enum EventKind: CaseIterable, Sendable {
  case consoleLogin
  case s3GetObject, s3PutObject, s3GetBucketAcl
  case iamCreateUser, iamAttachRolePolicy, iamPutUserPolicy
  case stsAssumeRole, stsAssumeRoleWithSAML, stsAssumeRoleWithWebIdentity, stsGetCallerIdentity
  case ec2DescribeInstances, ec2AuthorizeSecurityGroupIngress, ec2RunInstances
  case kmsDecrypt, kmsScheduleKeyDeletion
  case cloudTrailStopLogging
  case lambdaInvoke

  /// Relative frequency in generated traffic.
  var weight: Double {
    switch self {
    case .kmsDecrypt: 24
    case .ec2DescribeInstances: 18
    case .stsAssumeRole: 12
    case .stsGetCallerIdentity: 10
    case .s3GetBucketAcl: 10
    case .s3GetObject: 7
    case .lambdaInvoke: 4
    case .s3PutObject: 3
    case .consoleLogin: 2
    case .stsAssumeRoleWithWebIdentity: 1.2
    case .stsAssumeRoleWithSAML: 1
    case .ec2AuthorizeSecurityGroupIngress, .ec2RunInstances: 1.5
    case .iamAttachRolePolicy: 0.7
    case .iamCreateUser, .iamPutUserPolicy: 0.5
    case .kmsScheduleKeyDeletion: 0.2
    case .cloudTrailStopLogging: 0.1
    }
  }

  /// Global-service events: IAM and console sign-in are recorded in us-east-1 only.
  var isGlobal: Bool {
    switch self {
    case .consoleLogin, .iamCreateUser, .iamAttachRolePolicy, .iamPutUserPolicy: true
    default: false
    }
  }

  /// Who makes this call, with relative weights.
  var identities: [(IdentityKind, Double)] {
    switch self {
    case .consoleLogin: [(.iamUser, 7), (.root, 2), (.assumedRole, 1)]
    case .s3GetObject:
      [(.assumedRole, 5), (.iamUser, 3), (.awsAccount, 1), (.identityCenterUser, 0.5), (.federatedUser, 0.5)]
    case .s3PutObject: [(.assumedRole, 6), (.iamUser, 2), (.awsService, 2), (.federatedUser, 0.5)]
    case .s3GetBucketAcl: [(.awsService, 8), (.assumedRole, 2)]
    case .stsGetCallerIdentity: [(.assumedRole, 2), (.iamUser, 4), (.federatedUser, 0.5)]
    case .iamCreateUser, .iamAttachRolePolicy, .iamPutUserPolicy: [(.assumedRole, 6), (.iamUser, 3), (.root, 0.5)]
    case .stsAssumeRole: [(.assumedRole, 3), (.iamUser, 2), (.awsService, 7), (.awsAccount, 1)]
    case .stsAssumeRoleWithSAML: [(.samlUser, 1)]
    case .stsAssumeRoleWithWebIdentity: [(.webIdentityUser, 1)]
    case .ec2DescribeInstances: [(.assumedRole, 2), (.iamUser, 2), (.awsService, 6), (.federatedUser, 0.5)]
    case .ec2AuthorizeSecurityGroupIngress, .ec2RunInstances: [(.assumedRole, 5), (.iamUser, 2), (.root, 0.3)]
    case .kmsDecrypt: [(.assumedRole, 2), (.awsService, 10), (.iamUser, 1)]
    case .kmsScheduleKeyDeletion, .cloudTrailStopLogging: [(.assumedRole, 3), (.iamUser, 1), (.root, 1)]
    case .lambdaInvoke: [(.assumedRole, 4), (.awsService, 3), (.iamUser, 1)]
    }
  }

  /// Probability that a call by a non-service caller fails.
  var errorRate: Double {
    switch self {
    case .iamCreateUser, .iamAttachRolePolicy, .iamPutUserPolicy: 0.2
    case .ec2AuthorizeSecurityGroupIngress, .ec2RunInstances: 0.2
    case .kmsScheduleKeyDeletion: 0.15
    case .consoleLogin, .cloudTrailStopLogging: 0.1
    default: 0.03
    }
  }

  private static let all = allCases.map { ($0, $0.weight) }
  private static let regional = allCases.filter { !$0.isGlobal }.map { ($0, $0.weight) }

  /// A kind drawn by weight; outside us-east-1 only regional kinds.
  static func draw(region: String, rng: inout SplitMix64) -> EventKind {
    rng.weighted(region == "us-east-1" ? all : regional)
  }

  func build(_ c: inout EventContext) -> EventBody {
    switch self {
    case .consoleLogin: ManagementEvents.consoleLogin(&c)
    case .s3GetObject: DataEvents.s3Object(&c, put: false)
    case .s3PutObject: DataEvents.s3Object(&c, put: true)
    case .s3GetBucketAcl: DataEvents.getBucketAcl(&c)
    case .stsGetCallerIdentity: STSEvents.getCallerIdentity(&c)
    case .iamCreateUser: ManagementEvents.createUser(&c)
    case .iamAttachRolePolicy: ManagementEvents.attachRolePolicy(&c)
    case .iamPutUserPolicy: ManagementEvents.putUserPolicy(&c)
    case .stsAssumeRole: STSEvents.assumeRole(&c)
    case .stsAssumeRoleWithSAML: STSEvents.assumeRoleWithSAML(&c)
    case .stsAssumeRoleWithWebIdentity: STSEvents.assumeRoleWithWebIdentity(&c)
    case .ec2DescribeInstances: EC2Events.describeInstances(&c)
    case .ec2AuthorizeSecurityGroupIngress: EC2Events.authorizeSecurityGroupIngress(&c)
    case .ec2RunInstances: EC2Events.runInstances(&c)
    case .kmsDecrypt: ManagementEvents.decrypt(&c)
    case .kmsScheduleKeyDeletion: ManagementEvents.scheduleKeyDeletion(&c)
    case .cloudTrailStopLogging: ManagementEvents.stopLogging(&c)
    case .lambdaInvoke: DataEvents.lambdaInvoke(&c)
    }
  }
}

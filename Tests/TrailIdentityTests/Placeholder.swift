// Tests of credential chains and least-privilege policies (TrailIdentity).
import Testing

// Who really did it: the credential chains of an archive (which call issued each temporary
// key), the `origin` behind every event, and least-privilege policies from observed calls.
// docs/identity.md explains the rules and the evidence each link rests on.

using Keystore.Problems;

namespace Keystore.Agents;

/// <summary>The problems of the agent routes and of signing under a policy.</summary>
public static class AgentProblems
{
    public static readonly ProblemType OwnerOnly = new("owner-only", 403, "Only the account's owner (a full-access key) may do this");
    public static readonly ProblemType AgentNotFound = new("agent-not-found", 404, "No such agent key on this account");
    public static readonly ProblemType AgentExists = new("agent-exists", 409, "This agent key is already registered");
    public static readonly ProblemType TooManyAgents = new("too-many-agents", 409, "The account has as many agent keys as it may");
    public static readonly ProblemType InvalidAgent = new("invalid-agent", 400, "The agent key request is malformed");
    public static readonly ProblemType InvalidPolicy = new("invalid-policy", 400, "The policy document is not valid");
    public static readonly ProblemType PolicyDenied = new("policy-denied", 403, "The policy does not allow this request");
    public static readonly ProblemType IdempotencyConflict = new("idempotency-conflict", 409, "This Idempotency-Key was used for another request, or is still running");
    public static readonly ProblemType InvalidIdempotencyKey = new("invalid-idempotency-key", 400, "The Idempotency-Key header is malformed");
}

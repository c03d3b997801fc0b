using Keystore.Policies.Documents;

namespace Keystore.Policies.Schema;

/// <summary>The outcome of validating a policy document: the policy it describes, or the first error.</summary>
public sealed record PolicyValidation(AgentPolicy? Agent, AccountPolicy? Account, PolicyValidationError? Error)
{
    public bool IsValid => Error is null;
}

using Keystore.Configuration;

namespace Keystore.State;

/// <summary>The <c>Keystore:State:*</c> checks, called by the options validator.</summary>
internal static class StateOptionsValidation
{
    public static void Validate(StateOptions state, List<string> failures)
    {
        if (!EnumSetting.TryParse(state.Provider, out StateProviderKind provider))
        {
            failures.Add($"Keystore:State:Provider must be {EnumSetting.Choices<StateProviderKind>()} (was '{state.Provider}').");
            return;
        }
        if (provider == StateProviderKind.Sqlite && string.IsNullOrWhiteSpace(state.SqlitePath))
            failures.Add("Keystore:State:SqlitePath must not be empty.");
        if (provider == StateProviderKind.Postgres)
        {
            if (string.IsNullOrWhiteSpace(state.ConnectionString))
                failures.Add("Keystore:State:Provider 'postgres' needs Keystore:State:ConnectionString.");
            else
            {
                try
                {
                    _ = new Npgsql.NpgsqlConnectionStringBuilder(state.ConnectionString);
                }
                catch (ArgumentException)
                {
                    // The connection string may hold a password: described, never echoed.
                    failures.Add("Keystore:State:ConnectionString is not a valid PostgreSQL connection string (it is not shown).");
                }
            }
        }
        if (state.MaxAgentsPerAccount is < 1 or > 10_000)
            failures.Add("Keystore:State:MaxAgentsPerAccount must be between 1 and 10000.");
    }
}

using Npgsql;

namespace Keystore.TestSupport.State;

/// <summary>
/// The real PostgreSQL the tests run against: <c>KEYSTORE_TEST_POSTGRES</c>, exported by
/// <c>scripts/postgres-test-cluster.sh start</c> (test.sh runs it). Missing, a test that needs it fails: it never skips.
/// Each caller gets a database of its own, so tests in parallel never see each other's rows.
/// </summary>
public static class TestPostgres
{
    public const string Variable = "KEYSTORE_TEST_POSTGRES";

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set: these tests need a real PostgreSQL. Run ./test.sh, or start one with " +
                "'eval \"$(bash scripts/postgres-test-cluster.sh start)\"' before dotnet test (and stop it with 'bash scripts/postgres-test-cluster.sh stop \"$KEYSTORE_TEST_POSTGRES_DIR\"').");

    /// <summary>A new, empty database; its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        string name = "ks_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(ServerConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ConnectionString;
    }
}

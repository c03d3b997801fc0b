using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Keystore.State;

/// <summary>
/// Prepared statements kept on the one SQLite connection, by SQL text: a command created per use is compiled by
/// <c>sqlite3_prepare</c> every time and finalised when disposed, which cost more than running it. A kept command is
/// only reset between uses. Used only by the caller that holds the connection (<see cref="SqliteStateDatabase"/>'s gate).
/// </summary>
internal sealed class SqliteStatementCache : IDisposable
{
    // The store's SQL is a fixed set of constant texts (about twenty); the bound only guards against a caller building text.
    private const int Capacity = 64;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public DbCommand Get(SqliteConnection connection, DbTransaction? transaction, string sql, ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (!_commands.TryGetValue(sql, out SqliteCommand? command))
        {
            if (_commands.Count >= Capacity)
                Clear();
            command = connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }
        command.Transaction = (SqliteTransaction?)transaction;
        command.Parameters.Clear();
        foreach ((string name, object? value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    private void Clear()
    {
        foreach (SqliteCommand command in _commands.Values) command.Dispose();
        _commands.Clear();
    }

    public void Dispose() => Clear();
}

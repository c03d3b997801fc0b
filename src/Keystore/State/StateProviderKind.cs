namespace Keystore.State;

/// <summary>Where the sealed state lives (<c>Keystore:State:Provider</c>).</summary>
public enum StateProviderKind
{
    /// <summary>A SQLite file: one instance.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database shared by a fleet of instances.</summary>
    Postgres,
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Keystore.Near.Rpc;

namespace Keystore.EndToEnd.Tests.Support;

/// <summary>
/// The gas the local chain charged per contract method (transaction conversion plus every receipt it
/// caused), collected across the end-to-end run and written to <c>gas-report.md</c> next to the tests.
/// </summary>
public static class GasLedger
{
    private static readonly ConcurrentDictionary<string, ulong> Maximum = new();

    public static ulong TotalGas(ExecutionOutcome outcome)
    {
        ulong total = outcome.Raw["transaction_outcome"]!["outcome"]!["gas_burnt"]!.GetValue<ulong>();
        foreach (var r in outcome.Raw["receipts_outcome"]!.AsArray())
            total += r!["outcome"]!["gas_burnt"]!.GetValue<ulong>();
        return total;
    }

    public static ulong Record(string method, ExecutionOutcome outcome)
    {
        ulong gas = TotalGas(outcome);
        Maximum.AddOrUpdate(method, gas, (_, old) => Math.Max(old, gas));
        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "gas-report.md"), Report());
        return gas;
    }

    public static string Report()
    {
        var sb = new StringBuilder("| method | gas burnt (Tgas) |\n|---|---|\n");
        foreach ((string method, ulong gas) in Maximum.OrderBy(p => p.Key, StringComparer.Ordinal))
            sb.Append(CultureInfo.InvariantCulture, $"| {method} | {gas / 1e12:0.00} |\n");
        return sb.ToString();
    }
}

using System.Reflection;
using Keystore.Attestation.Tee;
using Keystore.Configuration;
using Keystore.Tee;
using Microsoft.Extensions.Options;

namespace Keystore.Tests.Tee;

/// <summary>
/// One TEE interface per layer: the keystore works with <see cref="ITeeBackend"/> only, and the attestation library's
/// <see cref="ITeeProvider"/> stays inside the two backends that adapt it.
/// </summary>
public class TeeBackendTests
{
    [Fact]
    public void Outside_the_backends_no_keystore_type_names_the_attestation_library_provider()
    {
        Type[] adapters = [typeof(SimulatorTeeBackend), typeof(DstackTeeBackend)];
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var offenders = typeof(ITeeBackend).Assembly.GetTypes()
            .Where(t => !adapters.Contains(t) && !adapters.Contains(t.DeclaringType))
            .SelectMany(t => t.GetFields(all).Select(f => f.FieldType)
                .Concat(t.GetMethods(all).SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType)))
                .Concat(t.GetConstructors(all).SelectMany(c => c.GetParameters().Select(p => p.ParameterType)))
                .Where(Mentions)
                .Select(_ => t.FullName))
            .Distinct()
            .ToArray();
        Assert.Empty(offenders);

        static bool Mentions(Type type) => type == typeof(ITeeProvider)
            || (type.IsGenericType && type.GetGenericArguments().Any(Mentions));
    }

    [Fact]
    public async Task The_simulator_backend_attests_outside_a_TEE_and_refuses_every_call_inside_one()
    {
        var options = Options.Create(new KeystoreOptions());
        byte[] reportData = new byte[64];
        reportData[0] = 7;

        var outside = new SimulatorTeeBackend(options, new FixedDetector(false));
        Assert.Equal("simulator", outside.Name);
        Assert.True(outside.IsSimulated);
        TeeQuote quote = await outside.GetQuoteAsync(reportData, CancellationToken.None);
        Assert.Equal(reportData, Keystore.Attestation.Quotes.TdxQuote.Parse(quote.Quote).Report.ReportData);
        Assert.NotNull(await outside.GetCollateralAsync(quote.Quote, CancellationToken.None));

        var inside = new SimulatorTeeBackend(options, new FixedDetector(true));
        foreach (Func<Task> call in new Func<Task>[]
        {
            () => inside.GetQuoteAsync(reportData, CancellationToken.None),
            () => inside.GetInfoAsync(CancellationToken.None),
            () => inside.GetCollateralAsync(quote.Quote, CancellationToken.None),
        })
        {
            Keystore.Boot.BootFailureException refused = await Assert.ThrowsAsync<Keystore.Boot.BootFailureException>(call);
            Assert.False(refused.Retryable);
            Assert.Contains("refused inside a real TEE", refused.Message);
        }
    }

    private sealed class FixedDetector(bool present) : ITeeDetector
    {
        public bool IsRealTeePresent => present;
    }
}

using Keystore.Tests.Support;
using Microsoft.Extensions.Options;

namespace Keystore.Tests.State;

public class StateConfigurationTests
{
    [Theory]
    [InlineData("Keystore:State:Provider", "mysql", "Keystore:State:Provider must be")]
    [InlineData("Keystore:State:Provider", "postgres", "Keystore:State:Provider 'postgres' needs Keystore:State:ConnectionString")]
    [InlineData("Keystore:State:SqlitePath", " ", "Keystore:State:SqlitePath must not be empty")]
    [InlineData("Keystore:State:MaxAgentsPerAccount", "0", "Keystore:State:MaxAgentsPerAccount must be between")]
    [InlineData("Keystore:State:ConectionString", "Host=x", "Keystore:State:ConectionString is not a known setting (did you mean Keystore:State:ConnectionString?)")]
    public async Task A_bad_state_setting_stops_startup_naming_the_setting(string key, string value, string message)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            KeystoreServer.StartAsync(new Dictionary<string, string?> { [key] = value }));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task A_malformed_connection_string_is_refused_without_echoing_it()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => KeystoreServer.StartAsync(new Dictionary<string, string?>
        {
            ["Keystore:State:Provider"] = "postgres",
            ["Keystore:State:ConnectionString"] = "Host=db;Password=hunter2;Bogus Keyword=1",
        }));
        Assert.Contains("Keystore:State:ConnectionString is not a valid PostgreSQL connection string", error.Message);
        Assert.DoesNotContain("hunter2", error.Message);
    }
}

using System.Collections;
using Keystore.Hosting;
using Microsoft.Extensions.Configuration.Json;

namespace Keystore.Tests.Hosting;

/// <summary>
/// The keystore reads its configuration once: no configuration file is watched (a watched content root would wake a
/// file watcher on every write of the state database under it), unless the operator asks for it explicitly.
/// </summary>
public class ConfigurationReadOnceTests
{
    private static readonly Hashtable NoEnvironment = [];

    /// <summary>Every file the app's configuration reads (appsettings.json, appsettings.{environment}.json, …).</summary>
    private static List<FileConfigurationSource> FileSources(WebApplication app) =>
        ((IConfigurationBuilder)app.Configuration).Sources.OfType<FileConfigurationSource>().ToList();

    [Fact]
    public async Task The_keystore_watches_no_configuration_file()
    {
        await using WebApplication app = KeystoreApplication.Build([]);

        List<FileConfigurationSource> files = FileSources(app);
        Assert.Contains(files, f => f is JsonConfigurationSource { Path: "appsettings.json" });
        Assert.All(files, f => Assert.False(f.ReloadOnChange, $"{f.Path} is watched for changes"));
        // The providers built from them hold no change registration either.
        Assert.All(((IConfigurationRoot)app.Configuration).Providers.OfType<FileConfigurationProvider>(),
            p => Assert.False(p.Source.ReloadOnChange, $"{p.Source.Path} is watched for changes"));
    }

    [Fact]
    public async Task An_explicit_command_line_setting_still_turns_reloading_on()
    {
        await using WebApplication app = KeystoreApplication.Build(
            KeystoreApplication.ConfigurationReadOnce(["--hostBuilder:reloadConfigOnChange=true"], NoEnvironment));

        List<FileConfigurationSource> files = FileSources(app);
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.True(f.ReloadOnChange, $"{f.Path} is not watched although the operator asked for it"));
    }

    [Theory]
    [InlineData("DOTNET_hostBuilder__reloadConfigOnChange")]
    [InlineData("ASPNETCORE_HOSTBUILDER__RELOADCONFIGONCHANGE")]
    public void An_environment_setting_is_left_to_the_host(string variable)
    {
        string[] args = ["--Keystore:ServiceName=x"];

        Assert.Equal(args, KeystoreApplication.ConfigurationReadOnce(args, new Hashtable { [variable] = "true" }));
    }

    [Fact]
    public void Without_a_setting_reloading_is_turned_off_before_the_operators_arguments()
    {
        string[] args = ["--Keystore:ServiceName=x", "--hostBuilder:reloadConfigOnChange=true"];

        // First, so any later argument of the operator's overrides it.
        Assert.Equal(["--hostBuilder:reloadConfigOnChange=false", .. args], KeystoreApplication.ConfigurationReadOnce(args, NoEnvironment));
        Assert.Equal(["--hostBuilder:reloadConfigOnChange=false"],
            KeystoreApplication.ConfigurationReadOnce([], new Hashtable { ["DOTNET_hostBuilder__somethingElse"] = "true" }));
    }
}

using System.Text.Json.Nodes;
using Keystore.Boot;
using Keystore.Configuration;
using Keystore.MasterSecrets;
using Microsoft.Extensions.Options;

namespace Keystore.Export;

/// <summary>
/// Produces an export whose checks all passed (at once, or at its last approval): derives, encrypts to the recipient,
/// wipes the plaintext, records the export in the audit log, and only then hands out the armored ciphertext.
/// </summary>
public sealed class AccountExporter(KeystoreState state, IOptions<KeystoreOptions> options, ExportAuditTrail audit)
{
    public async Task<JsonObject> ProduceAsync(ExportContext export, ExportRequest request)
    {
        ArgumentNullException.ThrowIfNull(export);
        ArgumentNullException.ThrowIfNull(request);
        MasterSecret master = state.RequireMasterSecret();
        string armored;
        using (SecretText plaintext = AccountExportWriter.Write(master, export.Account, request, options.Value.Bitcoin.ParsedNetwork))
            armored = AgeEncryptor.EncryptArmored(request.Recipient, plaintext.Bytes);
        await audit.ExportedAsync(export, CancellationToken.None).ConfigureAwait(false);
        return new JsonObject
        {
            ["account"] = export.Account,
            ["recipient"] = export.Recipient,
            ["contents"] = new JsonArray(export.Contents.Select(c => (JsonNode)JsonValue.Create(c)).ToArray()),
            ["format"] = AccountExportWriter.Format,
            ["armored"] = armored,
        };
    }
}

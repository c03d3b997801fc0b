using Scalar.AspNetCore;

namespace Keystore.OpenApi;

/// <summary>The OpenAPI 3.1 document at <c>/openapi/v1.json</c>, and in Development a browsable reference at <c>/scalar</c>.</summary>
public static class OpenApiSetup
{
    public const string DocumentPath = "/openapi/v1.json";

    public static IServiceCollection AddKeystoreOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", options =>
        {
            options.OpenApiVersion = Microsoft.OpenApi.OpenApiSpecVersion.OpenApi3_1;
            options.AddDocumentTransformer<KeystoreDocumentTransformer>();
        });

    public static WebApplication MapKeystoreOpenApi(this WebApplication app)
    {
        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
            app.MapScalarApiReference();
        return app;
    }
}

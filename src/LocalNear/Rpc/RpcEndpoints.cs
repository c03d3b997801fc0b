using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keystore.LocalNear.Rpc;

/// <summary>The HTTP surface of a NEAR node: JSON-RPC on <c>POST /</c>, plus nearcore's <c>GET /status</c> and <c>GET /health</c>.</summary>
public static class RpcEndpoints
{
    /// <summary>A request body larger than this is refused (nearcore's default limit is 10 MiB too).</summary>
    public const int MaxBodyBytes = 10 * 1024 * 1024;

    public static IEndpointRouteBuilder MapNearJsonRpc(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/", HandlePostAsync);
        endpoints.MapGet("/status", (NearRpcHandler handler) => Results.Text(handler.Status().ToJsonString(), "application/json"));
        endpoints.MapGet("/health", () => Results.Ok());
        return endpoints;
    }

    private static async Task HandlePostAsync(HttpContext context, NearRpcHandler handler)
    {
        JsonNode? request;
        try
        {
            if (context.Request.ContentLength > MaxBodyBytes) throw new JsonException("request body too large");
            request = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is JsonException or BadHttpRequestException)
        {
            var error = RpcErrors.ParseError("Invalid JSON: " + e.Message).Error;
            await WriteAsync(context, new JsonObject { ["jsonrpc"] = "2.0", ["error"] = error, ["id"] = null }).ConfigureAwait(false);
            return;
        }
        var response = await handler.HandleAsync(request, context.RequestAborted).ConfigureAwait(false);
        await WriteAsync(context, response).ConfigureAwait(false);
    }

    private static Task WriteAsync(HttpContext context, JsonObject response)
    {
        // nearcore answers JSON-RPC errors with HTTP 200 too; clients read the error object.
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(response.ToJsonString(), context.RequestAborted);
    }
}

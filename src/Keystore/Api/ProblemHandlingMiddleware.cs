using Keystore.Api.ChainRequests;
using Keystore.Chains;
using Keystore.Problems;
using Microsoft.AspNetCore.Http.Features;

namespace Keystore.Api;

/// <summary>
/// Turns every failure into one problem+json shape. Unknown exceptions become a bare 500: their
/// messages may say more than a client should know, so only their type reaches the log.
/// </summary>
public sealed class ProblemHandlingMiddleware(RequestDelegate next, ILogger<ProblemHandlingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (ProblemException ex) when (!context.Response.HasStarted)
        {
            await Write(context, ex.Problem, ex.Message);
        }
        catch (ChainRequestException ex) when (!context.Response.HasStarted)
        {
            await Write(context, ChainProblems.For(ex.Error), ex.Message);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            ProblemType type = ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? ProblemTypes.PayloadTooLarge : ProblemTypes.InvalidRequest;
            await Write(context, type, ex.Message);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            logger.LogError("Unhandled {ExceptionType} on {Method} {Path}.", ex.GetType().FullName, context.Request.Method, context.Request.Path);
            await Write(context, ProblemTypes.Internal, "The keystore could not complete the request; nothing was signed.");
        }
    }

    private static Task Write(HttpContext context, ProblemType type, string detail)
    {
        context.Response.Clear();
        context.Features.Get<IHttpResponseFeature>()!.ReasonPhrase = null;
        return ProblemResults.For(type, detail).ExecuteAsync(context);
    }
}

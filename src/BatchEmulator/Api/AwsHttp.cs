using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Orleans.Batch.BatchEmulator.Api.Model;

namespace Orleans.Batch.BatchEmulator.Api;

/// <summary>Reading requests and writing answers the way AWS's JSON protocols do.</summary>
internal static class AwsHttp
{
    public const string RestJsonContentType = "application/json";
    public const string Json11ContentType = "application/x-amz-json-1.1";

    public static async Task<T> ReadBodyAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (buffer.Length == 0)
        {
            buffer.Write("{}"u8);
        }

        buffer.Position = 0;
        try
        {
            return await JsonSerializer.DeserializeAsync(buffer, typeInfo, cancellationToken).ConfigureAwait(false)
                ?? throw AwsServiceException.Client("The request body must be a JSON object.");
        }
        catch (JsonException ex)
        {
            throw AwsServiceException.Client("Unable to parse the request body: " + ex.Message);
        }
    }

    public static async Task WriteAsync<T>(HttpResponse response, int statusCode, T body, JsonTypeInfo<T> typeInfo, string contentType)
    {
        response.StatusCode = statusCode;
        response.ContentType = contentType;
        await JsonSerializer.SerializeAsync(response.Body, body, typeInfo, response.HttpContext.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>rest-json (Batch): the type in <c>x-amzn-ErrorType</c>, the body <c>{"message": ...}</c>.</summary>
    public static Task WriteRestJsonErrorAsync(HttpResponse response, AwsServiceException error)
    {
        response.Headers["x-amzn-ErrorType"] = error.ErrorType;
        return WriteAsync(response, error.StatusCode, new ErrorBody { Message = error.Message }, EmulatorJsonContext.Default.ErrorBody, RestJsonContentType);
    }

    /// <summary>JSON 1.1 (CloudWatch Logs): the type in the body's <c>__type</c> (and the header too).</summary>
    public static Task WriteJson11ErrorAsync(HttpResponse response, AwsServiceException error)
    {
        response.Headers["x-amzn-ErrorType"] = error.ErrorType;
        var body = new JsonProtocolErrorBody { Type = error.ErrorType, Message = error.Message };
        return WriteAsync(response, error.StatusCode, body, EmulatorJsonContext.Default.JsonProtocolErrorBody, Json11ContentType);
    }
}

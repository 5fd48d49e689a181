using System.Net;
using System.Text.Json.Nodes;

namespace Orleans.Batch.Tests.Infrastructure;

/// <summary>An answer of the emulator's AWS endpoints, as a client sees it on the wire.</summary>
public sealed record AwsResponse(HttpStatusCode Status, JsonNode? Body, string? ErrorType, string? RequestId, string? ContentType)
{
    public string? Message => Body?["message"]?.GetValue<string>();

    /// <summary>Asserts a 200 and returns the body.</summary>
    public JsonNode Ok()
    {
        Status.ShouldBe(HttpStatusCode.OK, $"expected success, got {ErrorType}: {Message}");
        return Body ?? new JsonObject();
    }

    /// <summary>Asserts an error with this status and type; returns the message.</summary>
    public string ShouldFailWith(HttpStatusCode status, string errorType)
    {
        Status.ShouldBe(status, $"body: {Body?.ToJsonString()}");
        ErrorType.ShouldBe(errorType);
        RequestId.ShouldNotBeNullOrEmpty();
        return Message ?? "";
    }

    public override string ToString() => $"{(int)Status} {ErrorType} {Body?.ToJsonString()}";
}

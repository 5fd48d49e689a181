namespace Orleans.Batch.BatchEmulator.Api;

/// <summary>An error answer: HTTP status, the AWS error type (error code) and its message.</summary>
internal sealed class AwsServiceException(int statusCode, string errorType, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public string ErrorType { get; } = errorType;

    /// <summary>Batch's 400 for every invalid request.</summary>
    public static AwsServiceException Client(string message) => new(400, "ClientException", message);

    public static AwsServiceException Server(string message) => new(500, "ServerException", message);
}

using Microsoft.AspNetCore.Http;
using Orleans.Batch.BatchEmulator.Api;

namespace Orleans.Batch.BatchEmulator.Security;

/// <summary>
/// Rejects requests that are not SigV4-signed for this emulator's region and the given service, with the errors
/// AWS answers (403). Signatures are not verified: any key pair works, except keys configured as expired or invalid.
/// </summary>
internal sealed class SignatureGate(BatchEmulatorOptions options)
{
    private const string Algorithm = "AWS4-HMAC-SHA256";
    private static readonly string[] RequiredParameters = ["Credential", "SignedHeaders", "Signature"];

    /// <returns>The access key the request was signed with (it names the caller: see <see cref="JobRoleCredentials"/>).</returns>
    public string Check(HttpRequest request, string service)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(authorization))
        {
            throw Forbidden("MissingAuthenticationTokenException", "Missing Authentication Token");
        }

        if (!authorization.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            throw Forbidden("IncompleteSignatureException",
                $"Authorization header must use {Algorithm} (Signature Version 4). Authorization={Truncate(authorization)}");
        }

        var parameters = ParseParameters(authorization[(Algorithm.Length + 1)..]);
        var missing = RequiredParameters.Where(p => !parameters.ContainsKey(p)).ToList();
        if (missing.Count > 0)
        {
            throw Forbidden("IncompleteSignatureException",
                string.Concat(missing.Select(p => $"Authorization header requires '{p}' parameter. ")) + $"Authorization={Truncate(authorization)}");
        }

        if (string.IsNullOrEmpty(request.Headers["X-Amz-Date"]) && string.IsNullOrEmpty(request.Headers.Date))
        {
            throw Forbidden("IncompleteSignatureException",
                $"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization={Truncate(authorization)}");
        }

        // Credential=<access key>/<yyyyMMdd>/<region>/<service>/aws4_request
        var scope = parameters["Credential"].Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request" || scope[0].Length == 0)
        {
            throw Forbidden("IncompleteSignatureException",
                $"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{parameters["Credential"]}'");
        }

        if (scope[2] != options.Region)
        {
            throw Forbidden("InvalidSignatureException", $"Credential should be scoped to a valid region, not '{scope[2]}'. (The emulator serves {options.Region}.)");
        }

        if (scope[3] != service)
        {
            throw Forbidden("InvalidSignatureException", $"Credential should be scoped to correct service: '{service}'.");
        }

        var accessKey = scope[0];
        if (options.ExpiredAccessKeys.Contains(accessKey))
        {
            throw Forbidden("ExpiredTokenException", "The security token included in the request is expired");
        }

        if (options.InvalidAccessKeys.Contains(accessKey))
        {
            throw Forbidden("UnrecognizedClientException", "The security token included in the request is invalid.");
        }

        return accessKey;
    }

    private static Dictionary<string, string> ParseParameters(string text)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                parameters[part[..equals]] = part[(equals + 1)..];
            }
        }

        return parameters;
    }

    private static string Truncate(string value) => value.Length <= 200 ? value : value[..200] + "...";

    private static AwsServiceException Forbidden(string type, string message) => new(403, type, message);
}

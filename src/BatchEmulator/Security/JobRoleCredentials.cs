using System.Security.Cryptography;
using System.Text;

namespace Orleans.Batch.BatchEmulator.Security;

/// <summary>
/// The credentials a job receives for its definition's <c>jobRoleArn</c>, as ECS hands a task its job role's
/// credentials: each role gets its own access key, derived from the role's ARN, so whoever receives a request (the
/// emulator, a proxy in front of DynamoDB Local) can tell which role sent it (<see cref="AccessKeyFor"/>). A job
/// without a role keeps the emulator's own credentials.
/// </summary>
public static class JobRoleCredentials
{
    /// <summary>The access key of <paramref name="roleArn"/>: <c>ASIA</c> and 16 characters of the ARN's hash.</summary>
    /// <param name="roleArn">The job role.</param>
    /// <returns>The access key id.</returns>
    public static string AccessKeyFor(string roleArn) => "ASIA" + Hash(roleArn, "key")[..16];

    /// <summary>Sets <c>AWS_ACCESS_KEY_ID</c> and <c>AWS_SECRET_ACCESS_KEY</c> of <paramref name="roleArn"/>, and drops any session token.</summary>
    /// <param name="roleArn">The job role.</param>
    /// <param name="environment">The job's environment.</param>
    public static void Apply(string roleArn, IDictionary<string, string> environment)
    {
        environment["AWS_ACCESS_KEY_ID"] = AccessKeyFor(roleArn);
        environment["AWS_SECRET_ACCESS_KEY"] = Hash(roleArn, "secret")[..40];
        environment.Remove("AWS_SESSION_TOKEN");
    }

    private static string Hash(string roleArn, string purpose) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(purpose + "\n" + roleArn)));
}

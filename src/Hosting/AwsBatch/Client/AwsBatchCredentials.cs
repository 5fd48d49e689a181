using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace Orleans.Batch.Hosting.AwsBatch;

/// <summary>
/// The credentials handed to the SigV4 signing handler: the configured credentials, or the SDK's default chain
/// resolved at the first signature (not at start-up, so a host without AWS configuration can still start, and the
/// chain's caching and refresh stay the SDK's). Failures become <see cref="CredentialsUnavailableException"/> so the
/// client can report them as a credentials error rather than a network error.
/// </summary>
internal sealed class AwsBatchCredentials(AWSCredentials? configured) : AWSCredentials
{
    public override ImmutableCredentials GetCredentials()
    {
        try
        {
            return Checked((configured ?? DefaultAWSCredentialsIdentityResolver.GetCredentials(null)).GetCredentials());
        }
        catch (Exception e) when (e is not OperationCanceledException and not CredentialsUnavailableException)
        {
            throw new CredentialsUnavailableException(e);
        }
    }

    public override async Task<ImmutableCredentials> GetCredentialsAsync()
    {
        try
        {
            var source = configured ?? await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync(null).ConfigureAwait(false);
            return Checked(await source.GetCredentialsAsync().ConfigureAwait(false));
        }
        catch (Exception e) when (e is not OperationCanceledException and not CredentialsUnavailableException)
        {
            throw new CredentialsUnavailableException(e);
        }
    }

    private static ImmutableCredentials Checked(ImmutableCredentials? credentials)
        => credentials is null || string.IsNullOrEmpty(credentials.AccessKey) || string.IsNullOrEmpty(credentials.SecretKey)
            ? throw new CredentialsUnavailableException(new AmazonClientException("The credential provider returned an empty access key or secret key."))
            : credentials;
}

/// <summary>Credentials could not be obtained; the inner exception is the SDK's explanation.</summary>
internal sealed class CredentialsUnavailableException(Exception innerException)
    : Exception("AWS credentials could not be resolved.", innerException);

using System.Security.Cryptography;
using Orleans.Batch.Hosting.Configuration;

namespace Orleans.Batch.Hosting.Security.Internal;

/// <summary>Checks a certificate the user brings before anything is launched.</summary>
internal static class ClusterCertificateCheck
{
    /// <summary>What is wrong with <paramref name="pathOrPem"/>, as the end of a sentence naming the setting; null when it loads.</summary>
    /// <param name="pathOrPem">PEM text or a PEM file's path.</param>
    /// <returns>The problem, or null.</returns>
    public static string? Explain(string pathOrPem)
    {
        var source = ClusterCertificate.IsPem(pathOrPem) ? "PEM text" : $"file {InputText.Quote(pathOrPem)}";
        if (!ClusterCertificate.IsPem(pathOrPem) && !File.Exists(pathOrPem))
        {
            return $"is {InputText.Quote(pathOrPem)}, which is neither PEM text nor an existing file";
        }

        try
        {
            using var certificate = ClusterCertificate.Load(pathOrPem);
            return null;
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Never the PEM itself in the message: it holds a private key.
            return $"({source}) must hold a certificate and its unencrypted private key in PEM: {exception.Message}";
        }
    }
}

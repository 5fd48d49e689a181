using System.Runtime.CompilerServices;

// The AWS Batch client tests reach the region chain and the connection with an injected environment.
[assembly: InternalsVisibleTo("Orleans.Batch.Tests")]

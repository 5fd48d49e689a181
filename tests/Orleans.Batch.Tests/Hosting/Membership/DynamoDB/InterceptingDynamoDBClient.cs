using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace Orleans.Batch.Tests.Hosting.Membership.DynamoDB;

/// <summary>
/// A real DynamoDB client (talking to DynamoDB Local) that counts requests per operation and can run a hook just
/// before a transaction is sent, to interleave a competing write at the worst moment.
/// </summary>
public sealed class InterceptingDynamoDBClient : AmazonDynamoDBClient
{
    private readonly Dictionary<string, int> _requests = [];

    public InterceptingDynamoDBClient(string serviceUrl)
        : base(new BasicAWSCredentials("test", "test"), new AmazonDynamoDBConfig { ServiceURL = serviceUrl, AuthenticationRegion = "us-east-1" })
    {
        BeforeRequestEvent += (_, args) =>
        {
            if (args is WebServiceRequestEventArgs request)
            {
                lock (_requests)
                {
                    var operation = request.Request?.GetType().Name.Replace("Request", string.Empty, StringComparison.Ordinal) ?? "?";
                    _requests[operation] = _requests.GetValueOrDefault(operation) + 1;
                }
            }
        };
    }

    /// <summary>Runs once, before the next TransactWriteItems request is sent; then clears itself.</summary>
    public Func<Task>? BeforeNextTransactWrite { get; set; }

    /// <summary>Gets the requests sent so far, by operation name (e.g. <c>UpdateItem</c>).</summary>
    public IReadOnlyDictionary<string, int> Requests
    {
        get
        {
            lock (_requests)
            {
                return new Dictionary<string, int>(_requests);
            }
        }
    }

    public int TotalRequests => Requests.Values.Sum();

    public override async Task<TransactWriteItemsResponse> TransactWriteItemsAsync(TransactWriteItemsRequest request, CancellationToken cancellationToken = default)
    {
        if (BeforeNextTransactWrite is { } hook)
        {
            BeforeNextTransactWrite = null;
            await hook();
        }

        return await base.TransactWriteItemsAsync(request, cancellationToken);
    }
}

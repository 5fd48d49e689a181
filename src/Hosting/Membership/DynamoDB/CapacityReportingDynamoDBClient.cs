using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace Orleans.Batch.Hosting.Membership.DynamoDB;

/// <summary>
/// The DynamoDB client of the membership code: every request asks DynamoDB for the capacity it consumed
/// (<see cref="ConsumedCapacityReport"/>), set in the SDK's pipeline before the request is marshalled.
/// </summary>
internal sealed class CapacityReportingDynamoDBClient : AmazonDynamoDBClient
{
    public CapacityReportingDynamoDBClient(AWSCredentials credentials, AmazonDynamoDBConfig config)
        : base(credentials, config)
    {
    }

    public CapacityReportingDynamoDBClient(AmazonDynamoDBConfig config)
        : base(config)
    {
    }

    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        base.CustomizeRuntimePipeline(pipeline);
        pipeline.AddHandlerBefore<Marshaller>(new AskForConsumedCapacity());
    }

    private sealed class AskForConsumedCapacity : PipelineHandler
    {
        public override Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            ConsumedCapacityReport.Ask(executionContext.RequestContext.OriginalRequest);
            return base.InvokeAsync<T>(executionContext);
        }

        public override void InvokeSync(IExecutionContext executionContext)
        {
            ConsumedCapacityReport.Ask(executionContext.RequestContext.OriginalRequest);
            base.InvokeSync(executionContext);
        }
    }
}

namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>Output of <c>RegisterJobDefinition</c> (model shape <c>RegisterJobDefinitionResponse</c>).</summary>
internal sealed class RegisterJobDefinitionResponse
{
    /// <summary>The name (<c>jobDefinitionName</c>).</summary>
    public required string JobDefinitionName { get; init; }

    /// <summary>The ARN of the new revision (<c>jobDefinitionArn</c>).</summary>
    public required string JobDefinitionArn { get; init; }

    /// <summary>The new revision (<c>revision</c>).</summary>
    public required int Revision { get; init; }
}

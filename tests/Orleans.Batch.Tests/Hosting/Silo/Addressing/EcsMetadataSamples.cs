namespace Orleans.Batch.Tests.Hosting.Silo.Addressing;

/// <summary>
/// Container metadata as the ECS task metadata endpoint v4 returns it (<c>GET ${ECS_CONTAINER_METADATA_URI_V4}</c>),
/// shaped after the ECS agent's v4 response types: the resolver must find its way through the whole document.
/// </summary>
public static class EcsMetadataSamples
{
    public const string ContainerPath = "/v4/8f03e41243824aea923aca126495f665-1234567890";

    /// <summary>Fargate or a multi-node parallel job: the task has its own ENI.</summary>
    public static string Awsvpc(string ipv4 = "10.0.2.106") => Container($$"""
        [
          {
            "NetworkMode": "awsvpc",
            "IPv4Addresses": [ "{{ipv4}}" ],
            "AttachmentIndex": 0,
            "MACAddress": "0e:9e:32:c7:48:85",
            "IPv4SubnetCIDRBlock": "10.0.2.0/24",
            "DomainNameServers": [ "10.0.0.2" ],
            "DomainNameSearchList": [ "us-west-2.compute.internal" ],
            "PrivateDNSName": "ip-10-0-2-106.us-west-2.compute.internal",
            "SubnetGatewayIpv4Address": "10.0.2.1/24"
          }
        ]
        """);

    /// <summary>AWS Batch on EC2: host networking; the container shares the instance's interfaces.</summary>
    public static string Host() => Container("""
        [ { "NetworkMode": "host", "IPv4Addresses": [ "10.0.0.5" ] } ]
        """);

    /// <summary>ECS bridge networking: the address is on the docker bridge, unreachable from other hosts.</summary>
    public static string Bridge() => Container("""
        [ { "NetworkMode": "bridge", "IPv4Addresses": [ "172.17.0.2" ] } ]
        """);

    public static string Container(string networksJson) => $$"""
        {
          "DockerId": "ea32192c8553fbff06c9340478a2ff089b2bb5646fb718b4ee206641c9086d66",
          "Name": "silo",
          "DockerName": "ecs-orleans-batch-silo-1-silo-cca48e8dcadd97805600",
          "Image": "111122223333.dkr.ecr.us-west-2.amazonaws.com/orleans-batch:latest",
          "ImageID": "sha256:d691691e9652791a60114e67b365688d20d19940dde7c4736ea30e660d8d3553",
          "Labels": {
            "com.amazonaws.ecs.cluster": "arn:aws:ecs:us-west-2:111122223333:cluster/AWSBatch-compute-1",
            "com.amazonaws.ecs.container-name": "silo",
            "com.amazonaws.ecs.task-arn": "arn:aws:ecs:us-west-2:111122223333:task/AWSBatch-compute-1/8f03e41243824aea923aca126495f665",
            "com.amazonaws.ecs.task-definition-family": "orleans-batch-silo",
            "com.amazonaws.ecs.task-definition-version": "1"
          },
          "DesiredStatus": "RUNNING",
          "KnownStatus": "RUNNING",
          "Limits": { "CPU": 1024, "Memory": 2048 },
          "CreatedAt": "2025-10-02T00:15:07.620912337Z",
          "StartedAt": "2025-10-02T00:15:08.062559351Z",
          "Type": "NORMAL",
          "LogDriver": "awslogs",
          "LogOptions": { "awslogs-group": "/aws/batch/job", "awslogs-region": "us-west-2" },
          "ContainerARN": "arn:aws:ecs:us-west-2:111122223333:container/AWSBatch-compute-1/8f03e41243824aea923aca126495f665/0206b271-b33f-47ab-86c6-a0ba208a70a9",
          "Networks": {{networksJson}},
          "Snapshotter": "overlayfs"
        }
        """;
}

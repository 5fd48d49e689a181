using System.Text.Json;
using System.Text.Json.Nodes;
using Orleans.Batch.Hosting.AwsBatch.Model;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.Deploy;

/// <summary>deploy/scripts/*.sh: strict bash, usage, clear errors, and requests that AWS Batch and our client accept.</summary>
public sealed class DeployScriptTests
{
    private static readonly Dictionary<string, string> Region = new() { ["AWS_REGION"] = "us-east-1" };

    public static TheoryData<string> Scripts() => [.. DeployFiles.ScriptNames()];

    public static TheoryData<string> Kinds() => [.. DeployFiles.JobDefinitionKinds()];

    [Fact]
    public void The_scripts_are_the_four_the_README_describes()
    {
        DeployFiles.ScriptNames().ShouldBe(["build-and-push.sh", "build-image.sh", "register-job-definition.sh", "submit-manager.sh"]);
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task Script_passes_bash_syntax_check_is_strict_and_executable(string script)
    {
        var path = DeployFiles.Script(script);

        var result = await ShellScript.RunAsync("bash", ["-n", path]);

        result.ExitCode.ShouldBe(0, result.ToString());
        var text = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
        text.ShouldStartWith("#!/usr/bin/env bash\n");
        text.ShouldContain("\nset -euo pipefail\n");
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute).ShouldBeTrue($"{script} is not executable");
        }
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task Script_prints_its_usage_with_help(string script)
    {
        var result = await ShellScript.RunScriptAsync(script, ["--help"]);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldStartWith($"Usage: {script} ");
        result.Stderr.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("register-job-definition.sh", "", "KIND is required")]
    [InlineData("register-job-definition.sh", "silo", "--image is required")]
    [InlineData("register-job-definition.sh", "silo --image x --job-role-arn arn:aws:iam::123456789012:role/r", "--log-group is required")]
    [InlineData("register-job-definition.sh", "fargate-silo --image x --job-role-arn arn:aws:iam::123456789012:role/r --log-group g", "--execution-role-arn is required")]
    [InlineData("register-job-definition.sh", "silo --image x --job-role-arn not-an-arn --log-group g", "--job-role-arn must be an IAM role ARN")]
    [InlineData("register-job-definition.sh", "silo --image x --job-role-arn arn:aws:iam::123456789012:role/r --log-group g --timeout 30", "--timeout must be at least 60")]
    [InlineData("register-job-definition.sh", "gpu-silo --image x", "no job definition file 'gpu-silo'")]
    [InlineData("submit-manager.sh", "", "--queue is required")]
    [InlineData("submit-manager.sh", "--queue q", "--definition is required")]
    [InlineData("submit-manager.sh", "--queue q --definition d --table T1 ", "--silo-definition and --table apply with LAUNCHER_FLAGS")]
    [InlineData("submit-manager.sh", "--queue q --definition d --silos many", "--silos must be N or MIN:MAX")]
    [InlineData("submit-manager.sh", "--queue q --definition d --silos 8 -- --workload demo", "--silos and --workload set the default command's parameters")]
    [InlineData("submit-manager.sh", "--queue q --definition d --frobnicate", "unknown option '--frobnicate'")]
    [InlineData("build-image.sh", "--platform windows/amd64", "--platform must be linux/amd64, linux/arm64 or both")]
    [InlineData("build-image.sh", "--engine nerdctl", "--engine must be docker, podman or buildah")]
    [InlineData("build-image.sh", "--tag Bad:Tag", "--tag must be an image name")]
    [InlineData("build-image.sh", "--context /nonexistent", "--context '/nonexistent' is not a directory")]
    [InlineData("build-image.sh", "--engine podman --local-base --platform linux/arm64", "--local-base makes base images for this machine's architecture")]
    [InlineData("build-and-push.sh", "", "--repository is required")]
    [InlineData("build-and-push.sh", "--repository docker.io/orleans", "--repository must be an ECR repository URI")]
    [InlineData("build-and-push.sh", "--repository 123456789012.dkr.ecr.us-east-1.amazonaws.com/o --platform windows/amd64", "--platform must be linux/amd64 or linux/arm64")]
    public async Task Script_rejects_missing_or_bad_input_with_exit_code_2_and_a_message_naming_it(string script, string arguments, string message)
    {
        var result = await ShellScript.RunScriptAsync(script, arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries), Region);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stdout.ShouldBeEmpty();
        result.Stderr.ShouldStartWith($"{script}: ");
        result.Stderr.ShouldContain(message);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Register_dry_run_fills_every_placeholder_into_a_request_AWS_Batch_and_our_client_accept(string kind)
    {
        var result = await ShellScript.RunScriptAsync("register-job-definition.sh",
        [
            kind, "--image", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orleans-batch-launcher:1a2b3c4d",
            "--job-role-arn", "arn:aws:iam::123456789012:role/orleans-batch-job",
            "--execution-role-arn", "arn:aws:iam::123456789012:role/orleans-batch-execution",
            "--log-group", "/orleans-batch/jobs", "--region", "eu-west-1", "--dry-run",
        ]);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldNotContain("{{");
        var request = JsonNode.Parse(result.Stdout)!;
        AwsServiceModel.Batch.Check("RegisterJobDefinitionRequest", request).ShouldBeEmpty();
        var parsed = JsonSerializer.Deserialize(result.Stdout, AwsBatchJsonContext.Default.RegisterJobDefinitionRequest)!;
        var container = parsed.ContainerProperties!;
        container.Image.ShouldBe("123456789012.dkr.ecr.eu-west-1.amazonaws.com/orleans-batch-launcher:1a2b3c4d");
        container.JobRoleArn.ShouldBe("arn:aws:iam::123456789012:role/orleans-batch-job");
        container.ExecutionRoleArn.ShouldBe("arn:aws:iam::123456789012:role/orleans-batch-execution");
        container.LogConfiguration!.Options!["awslogs-group"].ShouldBe("/orleans-batch/jobs");
        container.LogConfiguration.Options["awslogs-region"].ShouldBe("eu-west-1");
    }

    [Fact]
    public async Task Register_dry_run_applies_name_resources_timeout_and_leaves_out_an_absent_execution_role()
    {
        var result = await ShellScript.RunScriptAsync("register-job-definition.sh",
        [
            "manager", "--image", "registry.example.com/orleans-batch@sha256:0123abcd", "--job-role-arn", "arn:aws:iam::123456789012:role/manager",
            "--log-group", "/aws/batch/job", "--name", "my-manager", "--vcpus", "0.5", "--memory", "1024", "--timeout", "7200",
            "--silo-definition", "my-silo:3", "--table", "MyMembership", "--dry-run",
        ], Region);

        result.ExitCode.ShouldBe(0, result.ToString());
        AwsServiceModel.Batch.Check("RegisterJobDefinitionRequest", JsonNode.Parse(result.Stdout)).ShouldBeEmpty();
        var request = JsonSerializer.Deserialize(result.Stdout, AwsBatchJsonContext.Default.RegisterJobDefinitionRequest)!;
        request.JobDefinitionName.ShouldBe("my-manager");
        request.Timeout!.AttemptDurationSeconds.ShouldBe(7200);
        request.ContainerProperties!.ExecutionRoleArn.ShouldBeNull();
        request.ContainerProperties.ResourceRequirements!.Select(r => r.Value).ShouldBe(["0.5", "1024"]);
        request.ContainerProperties.Command!.Take(4).ShouldBe(["--definition", "my-silo:3", "--table", "MyMembership"]);
        request.ContainerProperties.LogConfiguration!.Options!["awslogs-region"].ShouldBe("us-east-1");
    }

    [Fact]
    public async Task Submit_dry_run_passes_the_launcher_flags_verbatim_in_a_request_AWS_Batch_and_our_client_accept()
    {
        string[] flags = ["--silos", "4:16", "--workload", "montecarlo", "-o", "label=a \"quoted\" \\ value", "--max-runtime", "1h"];

        var result = await ShellScript.RunScriptAsync("submit-manager.sh",
            ["--queue", "orleans-batch", "--definition", "orleans-batch-manager:2", "--silo-definition", "orleans-batch-silo", "--table", "MyMembership",
             "--timeout", "9000", "--name", "nightly", "--dry-run", "--", .. flags],
            Region);

        result.ExitCode.ShouldBe(0, result.ToString());
        AwsServiceModel.Batch.Check("SubmitJobRequest", JsonNode.Parse(result.Stdout)).ShouldBeEmpty();
        var request = JsonSerializer.Deserialize(result.Stdout, AwsBatchJsonContext.Default.SubmitJobRequest)!;
        request.JobName.ShouldBe("nightly");
        request.JobQueue.ShouldBe("orleans-batch");
        request.JobDefinition.ShouldBe("orleans-batch-manager:2");
        request.ContainerOverrides!.Command.ShouldBe(["--definition", "orleans-batch-silo", "--table", "MyMembership", .. flags]);
        request.Timeout!.AttemptDurationSeconds.ShouldBe(9000);
        request.Tags!["orleans-batch:tool"].ShouldBe("orleans-batch");
        request.Tags["orleans-batch:role"].ShouldBe("manager");
        request.Parameters.ShouldBeNull();
    }

    [Fact]
    public async Task Submit_dry_run_with_silos_and_workload_sets_parameters_and_keeps_the_default_command()
    {
        var result = await ShellScript.RunScriptAsync("submit-manager.sh",
            ["--queue", "orleans-batch", "--definition", "orleans-batch-manager", "--silos", "8", "--workload", "demo", "--dry-run"], Region);

        result.ExitCode.ShouldBe(0, result.ToString());
        AwsServiceModel.Batch.Check("SubmitJobRequest", JsonNode.Parse(result.Stdout)).ShouldBeEmpty();
        var request = JsonSerializer.Deserialize(result.Stdout, AwsBatchJsonContext.Default.SubmitJobRequest)!;
        request.Parameters.ShouldBe(new Dictionary<string, string> { ["silos"] = "8", ["workload"] = "demo" });
        request.ContainerOverrides.ShouldBeNull();
        request.Timeout.ShouldBeNull();
    }

    [Fact]
    public async Task Build_image_dry_run_builds_for_both_architectures_as_one_manifest_with_podman()
    {
        var result = await ShellScript.RunScriptAsync("build-image.sh", ["--engine", "podman", "--platform", "linux/amd64,linux/arm64", "--tag", "acme/pricing:1.0", "--context", RepositoryPaths.Root, "--dry-run"]);

        result.ExitCode.ShouldBe(0, result.ToString());
        var command = result.Stdout.Trim();
        command.ShouldStartWith("podman build --platform linux/amd64,linux/arm64 --manifest acme/pricing:1.0 --network host ");
        command.ShouldEndWith($"--file {DeployFiles.Dockerfile} {RepositoryPaths.Root}");
        command.ShouldNotContain("--pull=never", customMessage: "only --local-base builds without pulling");
    }

    [Fact]
    public async Task Build_image_dry_run_with_docker_builds_one_platform_with_the_template_apps_Dockerfile()
    {
        var app = Directory.CreateTempSubdirectory("app-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(app.FullName, "Dockerfile"), "FROM scratch\n", TestContext.Current.CancellationToken);
            var result = await ShellScript.RunScriptAsync("build-image.sh", ["--engine", "docker", "--platform", "linux/arm64", "--context", app.FullName, "--dry-run"]);

            result.ExitCode.ShouldBe(0, result.ToString());
            result.Stdout.Trim().ShouldBe($"docker build --platform linux/arm64 --tag orleans-batch:dev --file {Path.Combine(app.FullName, "Dockerfile")} {app.FullName}");
        }
        finally
        {
            app.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Build_and_push_dry_run_builds_deploy_Dockerfile_from_the_repository_root_and_pushes_the_tag_and_latest()
    {
        const string repository = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/orleans-batch-launcher";

        var result = await ShellScript.RunScriptAsync("build-and-push.sh", ["--repository", repository, "--tag", "v1.2.3", "--platform", "linux/arm64", "--dry-run"]);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe(
        [
            "aws ecr get-login-password --region eu-central-1 | docker login --username AWS --password-stdin 123456789012.dkr.ecr.eu-central-1.amazonaws.com",
            $"docker build --file {DeployFiles.Dockerfile} --platform linux/arm64 --tag {repository}:v1.2.3 --tag {repository}:latest {RepositoryPaths.Root}",
            $"docker push {repository}:v1.2.3",
            $"docker push {repository}:latest",
        ]);
    }

    [Fact]
    public async Task Scripts_register_the_definitions_and_submit_a_manager_through_the_AWS_CLI_to_the_Batch_emulator()
    {
        _ = ShellScript.Which("aws")
            ?? throw new ShouldAssertException("the AWS CLI (aws) is not on PATH: install it with 'pip install awscli' (or AWS CLI v2) to run the deploy scripts");
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync("orleans-batch");
        var environment = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = BatchTestClient.AccessKey,
            ["AWS_SECRET_ACCESS_KEY"] = BatchTestClient.SecretKey,
            ["AWS_DEFAULT_REGION"] = "us-east-1",
            ["AWS_ENDPOINT_URL_BATCH"] = emulator.BaseAddress.AbsoluteUri.TrimEnd('/'),
        };
        string[] common = ["--image", BatchEmulatorFixture.JobImage, "--log-group", "/orleans-batch/jobs"];

        var silo = await ShellScript.RunScriptAsync("register-job-definition.sh", ["silo", "--job-role-arn", "arn:aws:iam::123456789012:role/silo", .. common], environment);
        var manager = await ShellScript.RunScriptAsync("register-job-definition.sh", ["manager", "--job-role-arn", "arn:aws:iam::123456789012:role/manager", .. common], environment);
        var submitted = await ShellScript.RunScriptAsync("submit-manager.sh", ["--queue", "orleans-batch", "--definition", "orleans-batch-manager", "--silos", "6"], environment);

        silo.ExitCode.ShouldBe(0, silo.ToString());
        silo.Stdout.Trim().ShouldBe("arn:aws:batch:us-east-1:123456789012:job-definition/orleans-batch-silo:1");
        manager.ExitCode.ShouldBe(0, manager.ToString());
        manager.Stdout.Trim().ShouldBe("arn:aws:batch:us-east-1:123456789012:job-definition/orleans-batch-manager:1");
        submitted.ExitCode.ShouldBe(0, submitted.ToString());
        var jobId = submitted.Stdout.Trim();
        submitted.Stderr.ShouldContain($"aws batch terminate-job --region us-east-1 --job-id {jobId}");
        var job = await emulator.Batch.DescribeJobAsync(jobId);
        job["jobDefinition"]!.GetValue<string>().ShouldBe("arn:aws:batch:us-east-1:123456789012:job-definition/orleans-batch-manager:1");
        job["container"]!["command"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(
            ["--definition", "orleans-batch-silo", "--table", "OrleansBatchMembership", "--silos", "6", "--workload", "demo"]);
        job["tags"]!["orleans-batch:role"]!.GetValue<string>().ShouldBe("manager");
        job["timeout"]!["attemptDurationSeconds"]!.GetValue<int>().ShouldBe(16200);
    }
}

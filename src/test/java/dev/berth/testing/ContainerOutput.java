package dev.berth.testing;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** What a container prints: a command run inside it, or its log; each waits at most 30 s. */
public final class ContainerOutput {
    private ContainerOutput() {}

    /** Runs {@code cmd} inside the container and returns its stdout and stderr. */
    public static String exec(DockerClient docker, String containerId, String... cmd) throws InterruptedException {
        String execId = docker.execCreateCmd(containerId).withCmd(cmd).withAttachStdout(true).withAttachStderr(true)
                .exec().getId();
        return collect(docker.execStartCmd(execId).exec(new Collector()));
    }

    /** The container's log so far, stdout and stderr. */
    public static String logs(DockerClient docker, String containerId) throws InterruptedException {
        return collect(docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true).exec(new Collector()));
    }

    private static String collect(Collector c) throws InterruptedException {
        c.awaitCompletion(30, TimeUnit.SECONDS);
        return c.out.toString(StandardCharsets.UTF_8);
    }

    private static final class Collector extends ResultCallback.Adapter<Frame> {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        @Override
        public void onNext(Frame f) {
            out.writeBytes(f.getPayload());
        }
    }
}

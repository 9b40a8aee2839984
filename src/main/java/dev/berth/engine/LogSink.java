package dev.berth.engine;

import java.io.IOException;

/** Where a container's log output goes, chunk by chunk as the engine sends it. An IOException (the reader went away) ends the stream. */
@FunctionalInterface
public interface LogSink {
    void write(byte[] chunk) throws IOException;
}

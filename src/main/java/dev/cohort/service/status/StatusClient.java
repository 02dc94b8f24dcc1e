package dev.cohort.service.status;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.platform.CohortException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Talks to a running daemon over its status socket ({@link StatusServer}): one request, one answer. */
public final class StatusClient {
    private StatusClient() {
    }

    /**
     * Sends a request to the daemon listening on {@code socket}.
     *
     * @return the answer, or empty when no daemon listens there (no socket file, or nobody accepts)
     * @throws CohortException when a daemon is there but the exchange fails
     */
    public static Optional<JsonNode> ask(Path socket, JsonNode request) {
        if (!Files.exists(socket)) {
            return Optional.empty();
        }
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                c.connect(UnixDomainSocketAddress.of(socket));
            } catch (java.net.ConnectException e) {
                return Optional.empty(); // a socket file left by a crashed daemon
            }
            byte[] req = (StatusSnapshot.JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.wrap(req);
            while (b.hasRemaining()) {
                c.write(b);
            }
            byte[] answer = StatusServer.readLine(c);
            if (answer.length == 0) {
                throw new CohortException("the daemon at " + socket + " closed the connection without an answer");
            }
            return Optional.of(StatusSnapshot.JSON.readTree(answer));
        } catch (java.nio.file.AccessDeniedException | java.net.SocketException e) {
            if (e.getMessage() != null && e.getMessage().contains("denied")) {
                throw new CohortException("cannot talk to the daemon at " + socket + ": permission denied (run as root)");
            }
            throw new CohortException("cannot talk to the daemon at " + socket + ": " + e.getMessage());
        } catch (IOException e) {
            throw new CohortException("cannot talk to the daemon at " + socket + ": " + e.getMessage());
        }
    }

    /** A request object {@code {"cmd": cmd}}. */
    public static com.fasterxml.jackson.databind.node.ObjectNode request(String cmd) {
        var o = StatusSnapshot.JSON.createObjectNode();
        o.put("cmd", cmd);
        return o;
    }
}

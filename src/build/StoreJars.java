import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites every jar under a directory with its entries stored rather than deflated, same
 * names, order, contents and times (extra fields and comments are dropped: nothing reads them). The build runs it on target/quarkus-app before the AppCDS
 * training run ({@code java src/build/StoreJars.java target/quarkus-app}).
 *
 * <p>Why: Quarkus' class loader reads each class's bytes from its jar even when the class comes
 * from the AppCDS archive (the JVM matches them against it), so every start inflated about
 * 6 000 class files; stored, a start takes about 0.1 s less CPU (docs/benchmarks.md). The
 * directory grows by about 60 MB on disk; an image layer, compressed as a whole when pushed,
 * shrinks (lib/ gzipped: 29 MB against 40).
 * Contents are unchanged, so signed jars stay valid. A jar already stored is left as it is.
 */
public final class StoreJars {
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java StoreJars.java DIRECTORY");
            System.exit(64);
        }
        List<Path> jars;
        try (Stream<Path> s = Files.walk(Path.of(args[0]))) {
            jars = s.filter(p -> p.toString().endsWith(".jar") && Files.isRegularFile(p)).sorted().toList();
        }
        int rewritten = 0;
        for (Path jar : jars) {
            if (store(jar)) {
                rewritten++;
            }
        }
        System.out.println("StoreJars: " + rewritten + " of " + jars.size() + " jars rewritten stored");
    }

    /** Rewrites {@code jar} stored; false when nothing in it was deflated. */
    static boolean store(Path jar) throws IOException {
        Path tmp = jar.resolveSibling(jar.getFileName() + ".stored.tmp");
        try (ZipFile in = new ZipFile(jar.toFile())) {
            if (in.stream().allMatch(e -> e.getMethod() == ZipEntry.STORED)) {
                return false;
            }
            try (OutputStream file = Files.newOutputStream(tmp); ZipOutputStream out = new ZipOutputStream(file)) {
                out.setMethod(ZipOutputStream.STORED);
                for (Enumeration<? extends ZipEntry> en = in.entries(); en.hasMoreElements(); ) {
                    ZipEntry e = en.nextElement();
                    byte[] data = in.getInputStream(e).readAllBytes();
                    CRC32 crc = new CRC32();
                    crc.update(data);
                    ZipEntry s = new ZipEntry(e.getName());
                    s.setMethod(ZipEntry.STORED);
                    s.setSize(data.length);
                    s.setCompressedSize(data.length);
                    s.setCrc(crc.getValue());
                    s.setTime(e.getTime());
                    out.putNextEntry(s);
                    out.write(data);
                    out.closeEntry();
                }
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("StoreJars: " + jar + ": " + e.getMessage(), e);
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
        return true;
    }
}

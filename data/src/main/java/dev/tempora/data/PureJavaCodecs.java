package dev.tempora.data;

import io.airlift.compress.Decompressor;
import io.airlift.compress.MalformedInputException;
import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.snappy.SnappyCompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Parquet page codecs without Hadoop's codec classes or native libraries: uncompressed, Snappy (the raw
 * block format, aircompressor's pure-Java codec), GZIP (the JDK), and for reading also ZSTD and LZ4_RAW
 * (aircompressor). Parquet-MR itself depends on aircompressor; its own SNAPPY path would load the native
 * snappy-java through Hadoop's codec classes. Brotli and Hadoop-framed LZ4/LZO are refused with a clear
 * message; a corrupt page is an {@link IOException} that names the file and the codec.
 */
final class PureJavaCodecs implements CompressionCodecFactory {

    private final String file;

    PureJavaCodecs(String file) {
        this.file = file;
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        if (codec != CompressionCodecName.UNCOMPRESSED && codec != CompressionCodecName.SNAPPY && codec != CompressionCodecName.GZIP) {
            throw new IllegalArgumentException(file + ": Tempora writes Parquet pages uncompressed, with SNAPPY or with GZIP, not " + codec);
        }
        return new BytesInputCompressor() {
            @Override
            public BytesInput compress(BytesInput bytes) throws IOException {
                return switch (codec) {
                    case UNCOMPRESSED -> bytes;
                    case SNAPPY -> {
                        byte[] raw = bytes.toByteArray();
                        SnappyCompressor snappy = new SnappyCompressor();
                        byte[] packed = new byte[snappy.maxCompressedLength(raw.length)];
                        int n = snappy.compress(raw, 0, raw.length, packed, 0, packed.length);
                        yield BytesInput.from(packed, 0, n);
                    }
                    default -> {
                        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                        try (GZIPOutputStream gzip = new GZIPOutputStream(buffer)) {
                            bytes.writeAllTo(gzip);
                        }
                        yield BytesInput.from(buffer.toByteArray());
                    }
                };
            }

            @Override
            public CompressionCodecName getCodecName() {
                return codec;
            }

            @Override
            public void release() {}
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        switch (codec) {
            case UNCOMPRESSED, SNAPPY, GZIP, ZSTD, LZ4_RAW -> { }
            default -> throw new IllegalArgumentException(file + ": pages compressed with " + codec
                    + " are not supported; Tempora reads UNCOMPRESSED, SNAPPY, GZIP, ZSTD and LZ4_RAW (rewrite the file with one of those)");
        }
        return new BytesInputDecompressor() {
            @Override
            public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
                if (codec == CompressionCodecName.UNCOMPRESSED) {
                    return bytes;
                }
                byte[] in = bytes.toByteArray();
                return BytesInput.from(decode(in, 0, in.length, uncompressedSize));
            }

            @Override
            public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int decompressedSize) throws IOException {
                byte[] in = new byte[compressedSize];
                input.get(in);
                output.put(codec == CompressionCodecName.UNCOMPRESSED ? in : decode(in, 0, compressedSize, decompressedSize));
            }

            @Override
            public void release() {}

            private byte[] decode(byte[] in, int offset, int length, int size) throws IOException {
                byte[] out;
                try {
                    out = switch (codec) {
                        case SNAPPY -> {
                            // A Snappy block starts with its decoded length; one that disagrees with the page header is corrupt.
                            int declared = SnappyDecompressor.getUncompressedLength(in, offset);
                            if (declared != size) {
                                throw corrupt("the page header says " + size + " bytes, the block holds " + declared, null);
                            }
                            yield decodeWith(new SnappyDecompressor(), in, offset, length, size);
                        }
                        case GZIP -> {
                            try (InputStream gzip = new GZIPInputStream(new ByteArrayInputStream(in, offset, length))) {
                                yield gzip.readNBytes(size);
                            }
                        }
                        case ZSTD -> decodeWith(new ZstdDecompressor(), in, offset, length, size);
                        case LZ4_RAW -> decodeWith(new Lz4Decompressor(), in, offset, length, size);
                        default -> throw new IllegalStateException("unreachable codec " + codec);
                    };
                } catch (MalformedInputException | IndexOutOfBoundsException | ZipException e) {
                    // aircompressor checks its bounds and names the input offset where decoding failed.
                    throw corrupt(e.getMessage(), e);
                }
                if (out.length != size) {
                    throw corrupt("the page header says " + size + " bytes, the block decodes to " + out.length, null);
                }
                return out;
            }

            private IOException corrupt(String what, Exception cause) {
                return new IOException(file + ": corrupt " + codec + " page: " + what, cause);
            }
        };
    }

    /** Decodes into at most {@code size} bytes; the result is shorter when the block holds less. */
    private static byte[] decodeWith(Decompressor decompressor, byte[] in, int offset, int length, int size) {
        byte[] out = new byte[size];
        int n = decompressor.decompress(in, offset, length, out, 0, size);
        return n == size ? out : Arrays.copyOf(out, n);
    }

    @Override
    public void release() {}
}

package dev.tempora.data;

import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Parquet page codecs without Hadoop's codec classes or native libraries: uncompressed, Snappy (our
 * {@link Snappy}), GZIP (the JDK), and for reading also ZSTD and LZ4_RAW (aircompressor, pure Java,
 * which Parquet-MR itself depends on). Brotli and Hadoop-framed LZ4/LZO are refused with a clear message.
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
                        yield BytesInput.from(Snappy.compress(raw, 0, raw.length));
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
                try {
                    return switch (codec) {
                        case SNAPPY -> Snappy.decompress(in, offset, length, size);
                        case GZIP -> {
                            try (InputStream gzip = new GZIPInputStream(new ByteArrayInputStream(in, offset, length))) {
                                yield gzip.readNBytes(size);
                            }
                        }
                        case ZSTD -> {
                            byte[] out = new byte[size];
                            int n = new io.airlift.compress.zstd.ZstdDecompressor().decompress(in, offset, length, out, 0, size);
                            if (n != size) {
                                throw new IOException("ZSTD page decoded to " + n + " bytes, expected " + size);
                            }
                            yield out;
                        }
                        case LZ4_RAW -> {
                            byte[] out = new byte[size];
                            int n = new io.airlift.compress.lz4.Lz4Decompressor().decompress(in, offset, length, out, 0, size);
                            if (n != size) {
                                throw new IOException("LZ4_RAW page decoded to " + n + " bytes, expected " + size);
                            }
                            yield out;
                        }
                        default -> throw new IllegalStateException("unreachable codec " + codec);
                    };
                } catch (IllegalStateException | io.airlift.compress.MalformedInputException e) {
                    throw new IOException(file + ": " + e.getMessage(), e);
                }
            }
        };
    }

    @Override
    public void release() {}
}

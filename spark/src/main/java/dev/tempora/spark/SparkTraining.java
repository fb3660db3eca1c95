package dev.tempora.spark;

import dev.tempora.parallel.Trainer;
import dev.tempora.parallel.distributed.RingCollective;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import scala.Function1;
import scala.Tuple2;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Data-parallel training as one Spark barrier stage: {@code plan.tasks()} tasks, started together, one per rank.
 * Each task opens a listening socket, the tasks exchange their addresses once through
 * {@link BarrierTaskContext#allGather} (Spark's own messages go through the driver: fine for a rendezvous, far too
 * slow for gradients), and from then on the gradients go round the ranks' own TCP ring ({@link RingCollective})
 * in a fixed order, so that the weights are bitwise those of one process.
 *
 * <p>Faults: the barrier stage is followed by a shuffle, which makes it a shuffle-map stage. When a task fails
 * (an executor killed, a peer's socket closed under it), Spark fails the whole barrier stage and resubmits it, up to
 * {@code spark.stage.maxConsecutiveAttempts} times (4 by default); the new attempt's rank 0 finds the last
 * checkpoint and every rank resumes from it. Were the barrier stage the job's result stage, Spark 4.2 would not retry
 * it ("Could not recover from a failed barrier ResultStage") and the driver would have to rerun the job itself.
 */
public final class SparkTraining {

    private SparkTraining() {}

    /**
     * Trains the plan on {@code spark}'s executors and returns each rank's one-line summary, rank 0 first.
     * Needs {@code plan.tasks()} task slots free at once (a barrier stage starts all its tasks or none).
     */
    public static List<String> run(JavaSparkContext spark, TrainingPlan plan) {
        Broadcast<TrainingPlan> shared = spark.broadcast(plan);
        ClassTag<String> strings = ClassTag$.MODULE$.apply(String.class);
        List<Integer> ranks = IntStream.range(0, plan.tasks()).boxed().toList();
        RDD<String> trained = spark.parallelize(ranks, plan.tasks()).rdd().barrier()
                .mapPartitions(new RankTask(shared), false, strings);
        // The shuffle that makes the barrier stage a shuffle-map stage (see the class comment): one partition.
        List<String> lines = new ArrayList<>(new JavaRDD<>(trained, strings)
                .mapToPair(line -> new Tuple2<>(0, line)).partitionBy(new HashPartitioner(1)).values().collect());
        lines.sort(Comparator.comparingInt(line -> Integer.parseInt(line.substring(0, line.indexOf(' ')))));
        shared.destroy();
        return lines.stream().map(line -> "rank " + line).toList();
    }

    /**
     * Where a rank listens for its ring neighbour: the address Spark reaches its executor at, or loopback in local
     * mode (one JVM: the ring then stays off the host's public address).
     */
    static InetAddress ringAddress(BarrierTaskContext context, int rank) throws IOException {
        if (org.apache.spark.SparkEnv.get().conf().get("spark.master", "").startsWith("local")) {
            return InetAddress.getLoopbackAddress();
        }
        String executor = context.getTaskInfos()[rank].address();
        int port = executor.lastIndexOf(':');
        return InetAddress.getByName(port < 0 ? executor : executor.substring(0, port));
    }

    /** The body of one barrier task: rendezvous, ring, training. */
    private record RankTask(Broadcast<TrainingPlan> plan)
            implements Function1<Iterator<Integer>, Iterator<String>>, Serializable {

        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public Iterator<String> apply(Iterator<Integer> partition) {
            BarrierTaskContext context = BarrierTaskContext.get();
            int rank = context.partitionId();
            // connect() closes the endpoint; the outer try closes it when the rendezvous fails before.
            try (RingCollective.Endpoint endpoint = RingCollective.listen(ringAddress(context, rank))) {
                List<String> addresses = List.of(context.allGather(endpoint.address()));
                try (RingCollective ring = endpoint.connect(rank, addresses, RankTraining.COLLECTIVE_TIMEOUT)) {
                    Trainer.Result result = RankTraining.train(plan.value(), ring, context.stageAttemptNumber(), System.err);
                    String line = String.format(Locale.ROOT, "%d of %d: %d epochs, best validation loss %.6f (epoch %d), "
                                    + "%d bytes sent over the ring", rank, ring.size(), result.epochs().size(),
                            result.bestValidationLoss(), result.bestEpoch() + 1, ring.bytesSent());
                    return CollectionConverters.asScala(List.of(line).iterator());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("rank " + rank + ": " + e.getMessage(), e);
            }
        }
    }
}

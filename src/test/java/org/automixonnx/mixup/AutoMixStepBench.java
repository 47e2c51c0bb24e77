package org.automixonnx.mixup;

import org.automixonnx.graphs.Sgd;
import org.automixonnx.models.ResNet;
import org.automixonnx.models.ResNetConfig;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.runtime.TrainStepRunner;
import org.automixonnx.testing.SyntheticImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Times one AutoMix iteration (mixblock_step + student_step) of ResNet-18 (CIFAR stem, 32x32) through the
 * pinned runners. Not a test: {@code mvn test -Dtest=AutoMixStepBench -Dbench=true [-Dbench.batch=100]}.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class AutoMixStepBench {
    @Test
    void timeIteration() {
        int batch = Integer.getInteger("bench.batch", 32);
        int steps = Integer.getInteger("bench.steps", 3);
        AutoMixStepGraphs graphs = new AutoMixStepGraphs(new ResNet(ResNetConfig.resnet18Cifar(10)), batch, 3, 32, 32);
        SyntheticImages.Batch data = new SyntheticImages(10, 3, 32, 1f, 1).next(batch);
        long[] perm = new long[batch];
        for (int i = 0; i < batch; i++) {
            perm[i] = (i + 1) % batch;
        }
        Tensor permT = Tensor.ofLongs(Shape.of(batch), perm);
        try (TrainStepRunner mix = new TrainStepRunner(graphs.mixblockStep());
                TrainStepRunner student = new TrainStepRunner(graphs.studentStep())) {
            for (TrainStepRunner r : new TrainStepRunner[] {mix, student}) {
                r.input("x").put(data.x());
                r.input("y").put(data.y());
                r.setHyper(Sgd.LR, 0.1);
                r.setHyper(Sgd.MOMENTUM, 0.9);
                r.setHyper(Sgd.WEIGHT_DECAY, 1e-4);
            }
            mix.input("perm_k").put(permT);
            mix.input("perm_q").put(permT);
            mix.input("lam_k").fill(0.4);
            mix.input("lam_q").fill(0.6);
            mix.setHyper(AutoMixStepGraphs.MASK_LOSS_WEIGHT, 0.1);
            student.input("perm").put(permT);
            student.input("lam").fill(0.6);
            long mixNs = 0;
            long studentNs = 0;
            for (int i = 0; i <= steps; i++) {
                long t0 = System.nanoTime();
                mix.step();
                long t1 = System.nanoTime();
                student.input("mix_mask").put(mix.resultTensor("mask_q").toTensor());
                student.step();
                long t2 = System.nanoTime();
                if (i > 0) {
                    mixNs += t1 - t0;
                    studentNs += t2 - t1;
                }
            }
            double mixS = mixNs / 1e9 / steps;
            double studentS = studentNs / 1e9 / steps;
            System.out.printf("AutoMix ResNet-18 batch %d: mixblock_step %.3f s, student_step %.3f s, %.1f images/s%n",
                    batch, mixS, studentS, batch / (mixS + studentS));
        }
    }
}

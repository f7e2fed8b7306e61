/* The parts of test_sim_control (the library's controls against the
 * simulator over loopback TCP, on one plant shape per run): the shape
 * expected of each model, the connection and the helpers the parts share.
 *   test_sim_control.c     main, the shapes, the battery's controls
 *   sim_control_wallbox.c  the wallbox and the car: present or absent
 * The globals below are defined in test_sim_control.c. */
#ifndef RSCP_SIM_CONTROL_H
#define RSCP_SIM_CONTROL_H

#include "harness.h"

#include "rscp/api.h"
#include "rscp/client.h"
#include "rscp/wallbox.h"

#include <stdbool.h>
#include <stdint.h>

/* The simulator runs this many times faster than real time. */
#define SIM_CONTROL_SPEED 20.0

/* What a model's plant is, written down here independently of sim/preset.c
 * so that a wrong spec in the simulator fails the run: the root meter's PM
 * index, the battery strings, the capacity and power limits of all strings
 * together (as EMS.GET_SYS_SPECS gives them), and whether it has a
 * wallbox (at WB index 0). */
struct shape {
    const char *model;
    unsigned root_pm;
    unsigned strings;
    int64_t capacity_wh, max_charge_w, max_discharge_w;
    bool wallbox;
};

extern const struct shape *shape;
extern rscp_client *cl;
extern struct rscp_builder b;
extern struct rscp_frame fr;

/* Let sim_s of simulated time pass. */
void sleep_sim(double sim_s);

/* Begin a request frame in b; send it and take the reply into fr (named
 * apart from send(2), which the library calls). */
void frame_begin(void);
void frame_send(void);

/* The live values now. */
struct rscp_live live(void);

/* Send the blocks begun; the device error of the reply `tag`, 0 if none. */
uint32_t device_error_of(uint32_t tag);

/* The root meter's import counter and, with a wallbox, the wallbox's
 * counters, with the live values of the same frame (its timestamp:
 * simulated time). */
struct counters {
    double t, pm_import, wb_energy;
    struct rscp_live l;
    struct rscp_wallbox w;
};
struct counters counters(void);

/* A counter moved by the energy of a power held between two readings (the
 * mean of the powers read, over the simulated time between them), within
 * 5 % and half a Wh. */
void check_counted(const char *what, double e0, double e1, double p0, double p1, double t0, double t1);

/* sim_control_wallbox.c. With a wallbox: its controls, then (after them)
 * the minimum current, the automatic phase switch and the car modes. */
void test_wallbox(void);
void test_wallbox_extra(void);
/* A wallbox index the plant does not have: every wallbox write refused
 * with NOT_AVAILABLE, nothing changed. */
void test_wallbox_absent(unsigned index);
/* Without a wallbox: the car modes (EMS settings) are taken and read
 * back, and no power goes to a car. */
void test_car_modes_no_wallbox(void);

#endif

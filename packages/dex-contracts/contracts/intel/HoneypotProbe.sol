// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.28;

interface IProbePair {
    function getReserves() external view returns (uint112, uint112, uint32);
    function token0() external view returns (address);
    function swap(uint256 amount0Out, uint256 amount1Out, address to, bytes calldata data) external;
}

interface IProbeToken {
    function balanceOf(address) external view returns (uint256);
    function transfer(address, uint256) external returns (bool);
}

interface IProbeWETH {
    function deposit() external payable;
}

/// Never deployed: its runtime code is placed at a scratch address by an eth_call state
/// override, with some ETH, to buy a token from its WETH pool and sell it straight back against
/// current state. Each leg reports what the constant-product formula promised and what arrived,
/// so the caller derives the effective buy and sell taxes, or learns that selling reverts.
contract HoneypotProbe {
    function probe(address pair, address weth, address token, uint256 amountIn)
        external
        returns (bool buyOk, uint256 expectedBuy, uint256 bought, bool sellOk, uint256 expectedSell, uint256 sold)
    {
        IProbeWETH(weth).deposit{value: amountIn}();
        try this.swapThrough(pair, weth, token, amountIn) returns (uint256 expected, uint256 received) {
            (buyOk, expectedBuy, bought) = (true, expected, received);
        } catch {
            return (false, 0, 0, false, 0, 0);
        }
        if (bought == 0) return (buyOk, expectedBuy, bought, false, 0, 0);
        try this.swapThrough(pair, token, weth, bought) returns (uint256 expected, uint256 received) {
            (sellOk, expectedSell, sold) = (true, expected, received);
        } catch {}
    }

    /// Sends `amountIn` of `tokenIn` to the pair and swaps what the pair actually received.
    function swapThrough(address pair, address tokenIn, address tokenOut, uint256 amountIn)
        external
        returns (uint256 expected, uint256 received)
    {
        require(msg.sender == address(this), "HoneypotProbe: SELF_ONLY");
        (uint256 r0, uint256 r1,) = IProbePair(pair).getReserves();
        bool zeroIn = IProbePair(pair).token0() == tokenIn;
        (uint256 reserveIn, uint256 reserveOut) = zeroIn ? (r0, r1) : (r1, r0);
        uint256 before = IProbeToken(tokenOut).balanceOf(address(this));
        require(IProbeToken(tokenIn).transfer(pair, amountIn), "HoneypotProbe: TRANSFER");
        uint256 arrived = IProbeToken(tokenIn).balanceOf(pair) - reserveIn;
        expected = amountOut(amountIn, reserveIn, reserveOut);
        uint256 out = amountOut(arrived, reserveIn, reserveOut);
        IProbePair(pair).swap(zeroIn ? 0 : out, zeroIn ? out : 0, address(this), "");
        received = IProbeToken(tokenOut).balanceOf(address(this)) - before;
    }

    function amountOut(uint256 amountIn, uint256 reserveIn, uint256 reserveOut) private pure returns (uint256) {
        uint256 withFee = amountIn * 997;
        return (withFee * reserveOut) / (reserveIn * 1000 + withFee);
    }
}
